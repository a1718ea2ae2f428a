/** One numbered change of the gateway database's schema (gateway/eventStore/migrations.ts lists them in order). */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
