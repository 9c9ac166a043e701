/**
 * nginx configuration, the public face: the pod config (and the rewrite of a user's own pod config, nginx-pod.ts),
 * the load balancer (nginx-lb.ts) and the pieces they share (nginx-common.ts). Rendering is pure (settings and ports
 * in, text out); starting nginx lives in nginx-process.ts.
 */
export * from './nginx-common';
export { renderLbConfig, type LbBackend } from './nginx-lb';
export { renderPodConfig, rewriteUserPodConfig } from './nginx-pod';
