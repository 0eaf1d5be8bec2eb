/**
 * A stand-in for the `electron` module, for the shell's unit tests: the Electron
 * binary cannot run here, so each test mocks `electron` (and only it) with these
 * small fakes that record what the shell asked for. They mimic the few behaviours
 * the shell relies on, each as Electron documents it:
 * - a new BrowserWindow announces its webContents through `app`'s 'web-contents-created'
 *   (https://www.electronjs.org/docs/latest/api/app#event-web-contents-created);
 * - `ipcMain.handle` refuses a second handler for a channel
 *   (https://www.electronjs.org/docs/latest/api/ipc-main#ipcmainhandlechannel-listener);
 * - `win.close()` emits a cancellable 'close' and only then 'closed'; `destroy()` emits
 *   neither 'close' (https://www.electronjs.org/docs/latest/api/browser-window#wincloses,
 *   #event-close);
 * - `win.showInactive()` shows without focusing; `hide()` hides
 *   (https://www.electronjs.org/docs/latest/api/browser-window#winshowinactive);
 * - `protocol.registerSchemesAsPrivileged` may be called once, before ready, and
 *   `protocol.handle` refuses a scheme that already has a handler
 *   (https://www.electronjs.org/docs/latest/api/protocol);
 * - `dialog.showMessageBox` resolves with the index of the button clicked
 *   (https://www.electronjs.org/docs/latest/api/dialog#dialogshowmessageboxwindow-options);
 * - `powerMonitor` is an EventEmitter whose 'shutdown' may be delayed with preventDefault
 *   (https://www.electronjs.org/docs/latest/api/power-monitor#event-shutdown-linux-macos).
 * What the real binary would do on its own (load a page, paint, crash) the tests
 * trigger as the events Electron emits for it.
 */
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';

let nextProcessId = 100;

export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
  static with<T extends object>(fields: T): FakeEvent & T {
    return Object.assign(new FakeEvent(), fields);
  }
}

export class FakeFrame {
  url: string;
  readonly processId: number;
  readonly routingId: number;
  constructor(url: string, processId: number, routingId: number) {
    this.url = url;
    this.processId = processId;
    this.routingId = routingId;
  }
}

export class FakeWebContents extends EventEmitter {
  readonly mainFrame: FakeFrame;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  constructor() {
    super();
    this.mainFrame = new FakeFrame('about:blank', nextProcessId++, 1);
  }
  /** A child frame (iframe) of this page. */
  subFrame(url: string): FakeFrame {
    return new FakeFrame(url, this.mainFrame.processId, this.mainFrame.routingId + 1);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  loadedFile: string | null = null;
  loadedUrl: string | null = null;
  /** Every URL loaded, in order (the app page, error pages, retries). */
  readonly loadedUrls: string[] = [];
  visible = false;
  minimized = false;
  focused = 0;
  destroyed = false;
  alwaysOnTop = false;
  readonly flashes: boolean[] = [];
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    FakeBrowserWindow.instances.push(this);
    fake.app.emit('web-contents-created', new FakeEvent(), this.webContents);
  }
  loadFile(file: string): Promise<void> {
    this.loadedFile = file;
    this.webContents.mainFrame.url = pathToFileURL(file).href;
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.loadedUrls.push(url);
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  showInactive(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  setAlwaysOnTop(flag: boolean): void {
    this.alwaysOnTop = flag;
  }
  isAlwaysOnTop(): boolean {
    return this.alwaysOnTop;
  }
  flashFrame(flag: boolean): void {
    this.flashes.push(flag);
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focused++;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    if (this.destroyed) return;
    const event = new FakeEvent();
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  lockGranted = true;
  isPackaged = false;
  userData = '/nonexistent/guardline-userdata';
  locale = 'sv-SE';
  readonly setPaths: [string, string][] = [];
  quitCalls = 0;
  exitCodes: number[] = [];
  sandboxEnabled = false;
  appUserModelId: string | null = null;
  /** Chromium switches the process was started with (https://www.electronjs.org/docs/latest/api/command-line). */
  readonly switches = new Set<string>();
  readonly commandLine = { hasSwitch: (name: string) => this.switches.has(name) };
  aboutShown = 0;
  aboutOptions: unknown = null;
  requestSingleInstanceLock(): boolean {
    return this.lockGranted;
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code = 0): void {
    this.exitCodes.push(code);
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(name: string): string {
    if (name !== 'userData') throw new Error(`fake app.getPath(${name}) not supported`);
    return this.userData;
  }
  setPath(name: string, value: string): void {
    this.setPaths.push([name, value]);
    if (name === 'userData') this.userData = value;
  }
  getLocale(): string {
    return this.locale;
  }
  getVersion(): string {
    return '0.1.0-test';
  }
  getAppPath(): string {
    return process.cwd();
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  setAboutPanelOptions(options: unknown): void {
    this.aboutOptions = options;
  }
  showAboutPanel(): void {
    this.aboutShown++;
  }
}

type Handler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What Electron does when a renderer calls `ipcRenderer.invoke(channel, payload)`. */
  async invokeFrom(
    sender: FakeWebContents,
    frame: FakeFrame | null,
    channel: string,
    payload: unknown,
  ): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ sender, senderFrame: frame, processId: frame?.processId, frameId: frame?.routingId }, payload);
  }
}

class FakeSession {
  permissionRequestHandler: ((...args: unknown[]) => void) | null = null;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | null = null;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | null = null;
  beforeRequest: ((details: { url: string }, callback: (r: { cancel?: boolean }) => void) => void) | null = null;
  headersReceived:
    | ((
        details: { url: string; responseHeaders?: Record<string, string[]> },
        callback: (r: { responseHeaders?: Record<string, string | string[]> }) => void,
      ) => void)
    | null = null;
  readonly webRequest = {
    onBeforeRequest: (listener: FakeSession['beforeRequest']) => {
      this.beforeRequest = listener;
    },
    onHeadersReceived: (listener: FakeSession['headersReceived']) => {
      this.headersReceived = listener;
    },
  };
  setPermissionRequestHandler(handler: (...args: unknown[]) => void): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: (...args: unknown[]) => boolean): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: (...args: unknown[]) => boolean): void {
    this.devicePermissionHandler = handler;
  }
}

export interface FakeMenu {
  template: Record<string, unknown>[];
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  image: { path: string };
  tooltip = '';
  menu: FakeMenu | null = null;
  destroyed = false;
  constructor(image: { path: string }) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }
  setImage(image: { path: string }): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: FakeMenu): void {
    this.menu = menu;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class FakeNotification extends EventEmitter {
  static supported = true;
  static instances: FakeNotification[] = [];
  readonly options: Record<string, unknown>;
  shown = false;
  closed = false;
  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    FakeNotification.instances.push(this);
  }
  static isSupported(): boolean {
    return FakeNotification.supported;
  }
  show(): void {
    this.shown = true;
  }
  /** Dismisses it (https://www.electronjs.org/docs/latest/api/notification#notificationclose). */
  close(): void {
    this.closed = true;
  }
}

type ProtocolHandler = (request: Request) => Response | Promise<Response>;

class FakeProtocol {
  privileged: { scheme: string; privileges?: Record<string, boolean> }[] | null = null;
  readonly handlers = new Map<string, ProtocolHandler>();
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    if (this.privileged) throw new Error('registerSchemesAsPrivileged can be called only once');
    this.privileged = schemes;
  }
  handle(scheme: string, handler: ProtocolHandler): void {
    if (this.handlers.has(scheme)) throw new Error(`Failed to register protocol: ${scheme}`);
    this.handlers.set(scheme, handler);
  }
  unhandle(scheme: string): void {
    this.handlers.delete(scheme);
  }
  isProtocolHandled(scheme: string): boolean {
    return this.handlers.has(scheme);
  }
  /** What Chromium does when a page requests `url` on a handled scheme. */
  async request(url: string, init?: RequestInit): Promise<Response> {
    const scheme = new URL(url).protocol.slice(0, -1);
    const handler = this.handlers.get(scheme);
    if (!handler) throw new Error(`net::ERR_UNKNOWN_URL_SCHEME ${scheme}`);
    return handler(new Request(url, init));
  }
}

export interface FakeMessageBox {
  window: FakeBrowserWindow | null;
  options: { type?: string; message: string; detail?: string; buttons?: string[]; cancelId?: number };
}

class FakeIpcRenderer extends EventEmitter {
  readonly invocations: { channel: string; args: unknown[] }[] = [];
  reply: (channel: string, ...args: unknown[]) => Promise<unknown> = () => Promise.resolve(undefined);
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return this.reply(channel, ...args);
  }
}

function createFake() {
  return {
    app: new FakeApp(),
    ipcMain: new FakeIpcMain(),
    session: new FakeSession(),
    ipcRenderer: new FakeIpcRenderer(),
    errorBoxes: [] as { title: string; content: string }[],
    protocol: new FakeProtocol(),
    powerMonitor: new EventEmitter(),
    messageBoxes: [] as FakeMessageBox[],
    /** Button indexes the next message boxes answer with; when empty, the box is cancelled. */
    messageBoxAnswers: [] as number[],
    applicationMenu: null as FakeMenu | null,
    exposed: new Map<string, unknown>(),
  };
}

/** The fakes' state; `resetFakeElectron()` gives every test a fresh Electron. */
export const fake = createFake();

export function resetFakeElectron(): void {
  for (const emitter of [fake.app, fake.ipcRenderer, fake.powerMonitor]) emitter.removeAllListeners();
  Object.assign(fake, createFake());
  FakeBrowserWindow.instances = [];
  FakeTray.instances = [];
  FakeNotification.instances = [];
  FakeNotification.supported = true;
}

/** The module object `vi.mock('electron', ...)` returns. Getters follow `reset`. */
export const electronModule = {
  get app() {
    return fake.app;
  },
  get ipcMain() {
    return fake.ipcMain;
  },
  get ipcRenderer() {
    return fake.ipcRenderer;
  },
  get session() {
    return { defaultSession: fake.session };
  },
  get protocol() {
    return fake.protocol;
  },
  get powerMonitor() {
    return fake.powerMonitor;
  },
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  Notification: FakeNotification,
  nativeImage: { createFromPath: (path: string) => ({ path }) },
  Menu: {
    buildFromTemplate: (template: Record<string, unknown>[]): FakeMenu => ({ template }),
    setApplicationMenu: (menu: FakeMenu | null) => {
      fake.applicationMenu = menu;
    },
  },
  dialog: {
    showErrorBox: (title: string, content: string) => {
      fake.errorBoxes.push({ title, content });
    },
    showMessageBox: (...args: unknown[]) => {
      const [window, options] = (args.length > 1 ? args : [null, args[0]]) as [
        FakeBrowserWindow | null,
        FakeMessageBox['options'],
      ];
      fake.messageBoxes.push({ window, options });
      const answer = fake.messageBoxAnswers.shift();
      return Promise.resolve({ response: answer ?? options.cancelId ?? 0, checkboxChecked: false });
    },
  },
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      fake.exposed.set(key, api);
    },
  },
};

/** Where a packaged shell would find its files; tests only need the paths to be stable. */
export const SHELL_PATHS = {
  preloadFile: '/app/out/preload/index.cjs',
  rendererDir: '/app/out/renderer',
  trayIconDir: '/app/assets/tray',
  windowIcon: '/app/assets/icons/256x256.png',
};
