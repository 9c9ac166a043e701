// Mock Theia frontend: connects like Theia's ws-connection-source.ts (default transports, polling first, then the
// upgrade; path derived from location.pathname; `fix-origin` header) and drives xterm widgets over binary messages.
// Its DOM follows Theia's where a browser check looks: `.theia-preload` until connected, `#theia-app-shell`,
// `#terminal-0` in the bottom panel, Ctrl+Shift+` opening and focusing `#terminal-N`.
// Plain browser JS on purpose: no bundler between the test and what the browser runs.
(() => {
  const state = {
    connected: false,
    transport: null,
    pod: null,
    sid: null,
    frontendId: null,
    errors: [],
    disconnects: [],
    // Everything the terminal received, as text: tests can assert on it whatever xterm renders.
    output: '',
  };
  window.socketproof = state;

  const statusEl = document.getElementById('status');
  function render() {
    statusEl.dataset.connected = String(state.connected);
    statusEl.dataset.transport = state.transport ?? '';
    statusEl.dataset.pod = state.pod ?? '';
    statusEl.textContent = state.connected
      ? `connected to ${state.pod ?? '?'} over ${state.transport}`
      : `disconnected${state.errors.length ? `: ${state.errors[state.errors.length - 1]}` : ''}`;
  }

  // One simulated shell per socket; the newest terminal widget shows it and sends its input (as Theia's focused one).
  const panel = document.getElementById('theia-bottom-content-panel');
  const terminals = [];
  let term = null;
  function openTerminal() {
    const el = document.createElement('div');
    el.id = `terminal-${terminals.length}`;
    el.className = 'terminal-widget';
    panel.appendChild(el);
    for (const t of terminals) t.el.classList.remove('active');
    el.classList.add('active');
    const widget = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 14 });
    widget.open(el);
    widget.onData((data) => socket.emit('terminal:input', encoder.encode(data)));
    terminals.push({ el, widget });
    term = widget;
    widget.focus();
    if (state.connected) socket.emit('terminal:open');
    return widget;
  }
  document.addEventListener(
    'keydown',
    (e) => {
      if (e.ctrlKey && e.shiftKey && e.code === 'Backquote') {
        e.preventDefault();
        openTerminal();
      }
    },
    true,
  );

  const encoder = new TextEncoder();
  const frontendId = crypto.randomUUID();
  state.frontendId = frontendId;
  const socket = io(`${location.origin}/services`, {
    path: `${location.pathname}socket.io`,
    extraHeaders: { 'fix-origin': location.origin },
  });

  // The Manager re-creates its engine on every reconnect, so hook each new one for the upgrade events.
  socket.io.on('open', () => {
    const engine = socket.io.engine;
    state.transport = engine.transport.name;
    engine.on('upgrade', (transport) => {
      state.transport = transport.name;
      render();
    });
    engine.on('upgradeError', (err) => {
      // Staying on polling after a failed probe is the silent failure a check must see.
      state.errors.push(`upgradeError: ${err?.message ?? String(err)}`);
      render();
    });
    render();
  });

  socket.on('connect', () => {
    state.connected = true;
    state.sid = socket.id;
    state.transport = socket.io.engine.transport.name;
    socket.emit('initialConnection', frontendId);
    socket.emit('terminal:open');
    // The workbench is usable once the frontend has its connection: the overlay goes.
    document.querySelector('.theia-preload')?.remove();
    render();
  });
  socket.on('hello', (msg) => {
    state.pod = msg?.pod ?? null;
    render();
  });
  socket.on('disconnect', (reason) => {
    state.connected = false;
    state.transport = null;
    state.disconnects.push(reason);
    render();
  });
  socket.on('connect_error', (err) => {
    state.connected = false;
    state.errors.push(`connect_error: ${err?.message ?? String(err)}`);
    render();
  });

  const decoder = new TextDecoder();
  socket.on('terminal:output', (data) => {
    const bytes = new Uint8Array(data);
    state.output += decoder.decode(bytes, { stream: true });
    if (state.output.length > 100000) state.output = state.output.slice(-50000);
    term?.write(bytes);
  });

  openTerminal();
  render();
})();
