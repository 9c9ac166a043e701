import type { CauseId } from '../causes/catalogue';

/** What a diagnosis concludes: the cause in the catalogue, and what was observed that says so. */
export interface Diagnosis {
  cause: CauseId;
  observed: string;
}
