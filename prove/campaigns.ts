import type { Campaign } from './campaign.ts';
import { inputCampaign } from './input/inputCampaign.ts';
import { soakCampaign } from './soak/soakCampaign.ts';

/**
 * Every campaign of `npm run prove`, in the order they run
 * (docs/reliability.md). Each lives in its own folder under prove/.
 */
export const campaigns: readonly Campaign[] = [inputCampaign, soakCampaign];
