import type { Campaign } from './campaign.ts';
import { clockCampaign } from './clock/clockCampaign.ts';
import { crashCampaign } from './crash/crashCampaign.ts';
import { diskCampaign } from './disk/diskCampaign.ts';
import { inputCampaign } from './input/inputCampaign.ts';
import { linkCampaign } from './link/linkCampaign.ts';
import { powerlossCampaign } from './powerloss/powerlossCampaign.ts';
import { soakCampaign } from './soak/soakCampaign.ts';

/**
 * Every campaign of `npm run prove`, in the order they run
 * (docs/reliability.md). Each lives in its own folder under prove/.
 */
export const campaigns: readonly Campaign[] = [
  crashCampaign,
  powerlossCampaign,
  linkCampaign,
  inputCampaign,
  clockCampaign,
  soakCampaign,
  diskCampaign,
];
