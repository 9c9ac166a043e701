/** The check names, in a module of their own so timing (budget.ts) and the registry can both use them without a cycle. */
export type TrafficCheckName = 'handshake' | 'session-continuity' | 'websocket-upgrade' | 'connection-lifetime' | 'health';
export type CheckName = TrafficCheckName | 'browser-terminal';
