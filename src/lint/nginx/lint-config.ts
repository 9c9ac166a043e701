/** Every nginx rule on one parsed config (includes already spliced in). */
import type { Finding, LintOptions } from '../types';
import type { NginxConfig } from './parser';
import { healthRules } from './rules-health';
import { includeRules } from './rules-include';
import { proxyRules } from './rules-proxy';
import { upstreamRules } from './rules-upstream';
import { socketIoLocations } from './socketio-locations';

export function lintNginxConfig(config: NginxConfig, options: LintOptions): Finding[] {
  const locations = socketIoLocations(config, options.socketPaths);
  return [
    ...proxyRules(config, locations, options).findings(),
    ...upstreamRules(config, locations),
    ...healthRules(locations, options.healthPaths),
    ...includeRules(config),
  ];
}
