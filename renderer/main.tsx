/** Entry: pick the transport (Electron's preload, else browser mode's WebSocket) and mount the window. */
import { render } from 'preact';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { ipcTransport } from './transport/ipc.js';
import { socketUrl, wsTransport } from './transport/ws.js';
import { App } from './views/app.js';
import { applyLanguage, savedLanguage } from './views/language.js';
import { applyTheme, savedTheme } from './views/theme.js';

applyTheme(savedTheme());
applyLanguage(savedLanguage());
const url = socketUrl(location);
const transport = ipcTransport(window) ?? (url === null ? null : wsTransport(url));
render(<App transport={transport} />, document.getElementById('root')!);
