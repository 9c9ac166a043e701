// Mock Theia frontend: connects like Theia 1.74.1's ws-connection-source.ts (default transports, polling first, then
// the upgrade; path derived from location.pathname; no extra headers) and drives xterm widgets over binary messages.
// Its DOM follows Theia's where a browser check looks: `.theia-preload` until connected, `#theia-app-shell`,
// `#terminal-0` in the bottom panel, Ctrl+Shift+` or main menu Terminal → New Terminal opening and focusing
// `#terminal-N`, and (workspace trust on) the modal trust dialog once the workbench is up, as Theia 1.74 shows it.
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
  // As in Theia 1.74: keybindings still run behind a modal dialog (Ctrl+Shift+` opens a terminal under it), but the
  // dialog keeps the focus, so typed text goes nowhere and Enter presses its focused "Yes" button; Escape declines.
  let modal = null;
  document.addEventListener(
    'keydown',
    (e) => {
      if (modal && e.key === 'Escape') {
        e.preventDefault();
        modal.decline();
      } else if (e.ctrlKey && e.shiftKey && e.code === 'Backquote') {
        e.preventDefault();
        openTerminal();
        modal?.refocus();
      } else if (e.key === 'Escape') {
        closeMenu();
      }
    },
    true,
  );
  document.addEventListener('focusin', (e) => {
    if (modal && !modal.contains(e.target)) modal.refocus();
  });

  // Main menu (lumino MenuBar): Terminal opens a menu attached to <body>; its New Terminal runs `terminal:new`.
  let menu = null;
  function closeMenu() {
    menu?.remove();
    menu = null;
  }
  function openTerminalMenu() {
    closeMenu();
    menu = document.createElement('div');
    menu.className = 'lm-Widget lm-Menu lm-MenuBar-menu';
    menu.innerHTML =
      '<ul class="lm-Menu-content"><li class="lm-Menu-item" data-command="terminal:new"><div class="lm-Menu-itemLabel">New Terminal</div></li></ul>';
    menu.querySelector('[data-command="terminal:new"]').addEventListener('click', () => {
      closeMenu();
      openTerminal();
    });
    document.body.appendChild(menu);
  }
  document.querySelector('[data-menu="terminal"]').addEventListener('click', (e) => {
    e.stopPropagation();
    if (menu) closeMenu();
    else openTerminalMenu();
  });
  document.addEventListener('click', (e) => {
    if (menu && !menu.contains(e.target)) closeMenu();
  });

  // Theia's workspace-trust dialog (security.workspace.trust.enabled): declining opens Restricted Mode, where
  // terminals still work; nothing is sent to the server either way in the mock.
  function showTrustDialog() {
    const overlay = document.createElement('div');
    overlay.className = 'dialogOverlay workspace-trust-dialog';
    overlay.innerHTML =
      '<div class="dialogBlock"><div class="dialogContent">Do you trust the authors of the files in this folder?</div>' +
      '<div class="dialogControl"><button class="theia-button secondary">No, I don\'t trust the authors</button>' +
      '<button class="theia-button main">Yes, I trust the authors</button></div></div>';
    const yes = overlay.querySelector('.main');
    const answer = (trusted) => () => {
      modal = null;
      overlay.remove();
      // Real Theia writes a trusted folder into the user's settings on the server; the mock only records it.
      state.trusted = trusted;
      term?.focus();
    };
    modal = { decline: answer(false), contains: (el) => overlay.contains(el), refocus: () => setTimeout(() => yes.focus()) };
    overlay.querySelector('.secondary').addEventListener('click', answer(false));
    yes.addEventListener('click', answer(true));
    document.body.appendChild(overlay);
    yes.focus();
  }

  const encoder = new TextEncoder();
  const frontendId = crypto.randomUUID();
  state.frontendId = frontendId;
  const socket = io(`${location.origin}/services`, {
    path: `${location.pathname}socket.io`,
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
    // The workbench is usable once the frontend has its connection: the overlay goes, and the trust dialog comes.
    const preload = document.querySelector('.theia-preload');
    if (preload) {
      preload.remove();
      if (document.body.dataset.workspaceTrust === 'true') showTrustDialog();
    }
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
