import type { Campaign } from './campaign.ts';
import { clockCampaign } from './clock/clockCampaign.ts';
import { linkCampaign } from './link/linkCampaign.ts';

/**
 * Every campaign of `npm run prove`, in the order they run
 * (docs/reliability.md). Each lives in its own folder under prove/.
 */
export const campaigns: readonly Campaign[] = [linkCampaign, clockCampaign];
