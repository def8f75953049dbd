//! Latency samples and their summary.
//!
//! Every request's latency is kept (microseconds, `u32`: 4 bytes each, a few MB for the
//! longest run), so percentiles are exact nearest-rank values, not histogram estimates.

use std::time::Duration;

use serde::Serialize;

/// Latencies of one kind of request, in microseconds.
#[derive(Clone, Debug, Default)]
pub struct Samples {
    micros: Vec<u32>,
}

/// What a report shows of a set of samples, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Number of samples.
    pub count: usize,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Slowest.
    pub max_ms: f64,
    /// Arithmetic mean.
    pub mean_ms: f64,
}

impl Samples {
    /// Records one latency (saturating at about 71 minutes).
    pub fn push(&mut self, latency: Duration) {
        self.micros
            .push(u32::try_from(latency.as_micros()).unwrap_or(u32::MAX));
    }

    /// Appends another worker's samples.
    pub fn merge(&mut self, other: Samples) {
        self.micros.extend(other.micros);
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        self.micros.len()
    }

    /// No samples yet.
    pub fn is_empty(&self) -> bool {
        self.micros.is_empty()
    }

    /// Sorts the samples and summarizes them.
    pub fn summary(&mut self) -> Summary {
        self.micros.sort_unstable();
        let count = self.micros.len();
        let mean = if count == 0 {
            0.0
        } else {
            self.micros.iter().map(|&m| f64::from(m)).sum::<f64>() / count as f64
        };
        Summary {
            count,
            p50_ms: ms(percentile(&self.micros, 50.0)),
            p99_ms: ms(percentile(&self.micros, 99.0)),
            max_ms: ms(self.micros.last().copied().unwrap_or(0)),
            mean_ms: round3(mean / 1000.0),
        }
    }
}

fn ms(micros: u32) -> f64 {
    round3(f64::from(micros) / 1000.0)
}

fn round3(value: f64) -> f64 {
    (value * 1000.0).round() / 1000.0
}

/// Nearest-rank percentile of sorted values: the smallest value such that at least `p` %
/// of the values are at or below it. 0 for no values.
pub fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let n = sorted.len();
    // rank = ceil(p/100 · n), at least 1.
    let rank = ((p / 100.0) * n as f64).ceil().max(1.0) as usize;
    sorted[rank.min(n) - 1]
}

/// One second of a run: how many operations finished in it and how slow the slowest were.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Second {
    /// Seconds since the measured phase began.
    pub t: usize,
    /// Operations completed in this second.
    pub ops: usize,
    /// 99th percentile of their latencies.
    pub p99_ms: f64,
    /// Slowest of them.
    pub max_ms: f64,
}

/// Completed operations bucketed by the second they finished in.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    buckets: Vec<Samples>,
}

impl Timeline {
    /// Records an operation that finished `at` after the start and took `latency`.
    pub fn push(&mut self, at: Duration, latency: Duration) {
        let index = usize::try_from(at.as_secs()).unwrap_or(usize::MAX);
        if index >= 3_600 {
            return; // Runs are bounded far below an hour; ignore anything absurd.
        }
        if self.buckets.len() <= index {
            self.buckets.resize_with(index + 1, Samples::default);
        }
        self.buckets[index].push(latency);
    }

    /// Adds another worker's timeline.
    pub fn merge(&mut self, other: Timeline) {
        if self.buckets.len() < other.buckets.len() {
            self.buckets
                .resize_with(other.buckets.len(), Samples::default);
        }
        for (mine, theirs) in self.buckets.iter_mut().zip(other.buckets) {
            mine.merge(theirs);
        }
    }

    /// One line per second.
    pub fn seconds(mut self) -> Vec<Second> {
        self.buckets
            .iter_mut()
            .enumerate()
            .map(|(t, samples)| {
                let summary = samples.summary();
                Second {
                    t,
                    ops: summary.count,
                    p99_ms: summary.p99_ms,
                    max_ms: summary.max_ms,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles_match_the_definition() {
        let values: Vec<u32> = (1..=100).collect();
        assert_eq!(
            percentile(&values, 50.0),
            50,
            "half of 1..=100 is at or below 50"
        );
        assert_eq!(percentile(&values, 99.0), 99);
        assert_eq!(percentile(&values, 100.0), 100);
        assert_eq!(percentile(&values, 0.0), 1, "rank is at least 1");
        assert_eq!(percentile(&[7], 99.0), 7);
        assert_eq!(percentile(&[], 50.0), 0);
        // With 10 values, p99 needs rank ceil(9.9) = 10: the maximum, not an interpolation.
        let ten: Vec<u32> = (1..=10).map(|v| v * 10).collect();
        assert_eq!(percentile(&ten, 99.0), 100);
        assert_eq!(percentile(&ten, 50.0), 50);
    }

    #[test]
    fn summary_sorts_and_converts_to_milliseconds() {
        let mut samples = Samples::default();
        for micros in [3_000, 1_000, 2_000, 10_000] {
            samples.push(Duration::from_micros(micros));
        }
        let summary = samples.summary();
        assert_eq!(summary.count, 4);
        assert_eq!(
            summary.p50_ms, 2.0,
            "rank ceil(0.5 * 4) = 2 of 1, 2, 3, 10 ms"
        );
        assert_eq!(summary.p99_ms, 10.0);
        assert_eq!(summary.max_ms, 10.0);
        assert_eq!(summary.mean_ms, 4.0);
        assert_eq!(Samples::default().summary(), Summary::default());
    }

    #[test]
    fn timeline_buckets_by_finishing_second_and_merges() {
        let mut a = Timeline::default();
        a.push(Duration::from_millis(200), Duration::from_millis(1));
        a.push(Duration::from_millis(2_500), Duration::from_millis(9));
        let mut b = Timeline::default();
        b.push(Duration::from_millis(900), Duration::from_millis(3));
        a.merge(b);
        let seconds = a.seconds();
        assert_eq!(seconds.len(), 3);
        assert_eq!(seconds[0].ops, 2);
        assert_eq!(seconds[0].max_ms, 3.0);
        assert_eq!(
            seconds[1].ops, 0,
            "an empty second is kept: it shows a stall"
        );
        assert_eq!(seconds[2].p99_ms, 9.0);
    }
}
