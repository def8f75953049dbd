import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './lib/i18n/i18n.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');

// The saved (or system) language's catalogue is a chunk of its own: wait for it, so the first
// paint is already in that language rather than English for a moment (a few milliseconds
// from the app's own files; English needs no wait).
await i18n.ready;

export default mount(App, { target });
