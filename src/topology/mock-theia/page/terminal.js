// Mock Theia frontend: connects like Theia's ws-connection-source.ts (default transports, polling first, then the
// upgrade; path derived from location.pathname; `fix-origin` header) and drives an xterm over binary messages.
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

  const term = new Terminal({ convertEol: false, cursorBlink: true, fontSize: 14 });
  term.open(document.getElementById('terminal'));

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
    term.write(bytes);
  });

  const encoder = new TextEncoder();
  term.onData((data) => socket.emit('terminal:input', encoder.encode(data)));
  term.focus();
  render();
})();
