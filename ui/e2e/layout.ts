// Layout checks shared by the Playwright walks: text that does not fit its box. Used for the
// German screens (German is the longest of the app's languages).
import type { Page } from '@playwright/test';

/** Elements whose text does not fit: content wider than its box (clipped or spilling over), a
 *  button sticking out of its container, or the page scrolling sideways. Form controls, images
 *  and boxes made to scroll may hold more than they show, by design. */
export async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : ''} "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const found: string[] = [];
    const root = document.documentElement;
    if (root.scrollWidth > root.clientWidth + 1) found.push(`the page scrolls sideways (${root.scrollWidth} > ${root.clientWidth})`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const style = getComputedStyle(el);
      if (style.display === 'none' || style.visibility === 'hidden' || el.closest('.visually-hidden')) continue;
      if (['INPUT', 'TEXTAREA', 'SELECT', 'OPTION', 'IMG', 'svg', 'path'].includes(el.tagName)) continue;
      // Scrolling boxes (logs, tables made to scroll) may hold more than they show by design.
      if (['auto', 'scroll'].includes(style.overflowX) || el.closest('.log, .table-scroll')) continue;
      if (el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) found.push(`${name(el)}: ${el.scrollWidth} > ${el.clientWidth}`);
      if (el.tagName === 'BUTTON' && el.parentElement) {
        const box = el.getBoundingClientRect();
        const parent = el.parentElement.getBoundingClientRect();
        if (box.right > parent.right + 1 || box.left < parent.left - 1) found.push(`${name(el)} sticks out of its container`);
      }
    }
    return found;
  });
}

/** Selects whose chosen option is wider than the select shows (a cut-off choice). */
export async function cutOffSelects(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const probe = document.createElement('span');
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
    document.body.append(probe);
    for (const select of document.querySelectorAll<HTMLSelectElement>('select')) {
      if (select.offsetParent === null) continue;
      const style = getComputedStyle(select);
      probe.style.font = style.font;
      probe.textContent = select.selectedOptions[0]?.textContent ?? '';
      // The arrow and padding take about 2.5em of the select's width.
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 16;
      if (probe.offsetWidth > room + 1) found.push(`select#${select.id} "${probe.textContent}": ${probe.offsetWidth} > ${room}`);
    }
    probe.remove();
    return found;
  });
}
