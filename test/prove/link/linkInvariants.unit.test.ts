import { describe, expect, it } from 'vitest';
import { type LinkEnds, linkEndViolations } from '../../../prove/link/linkInvariants.ts';

const hash = (n: number) => n.toString(16).padStart(64, '0');
const log = [1, 2, 3].map((seq) => ({ seq, eventId: `e-${seq}`, hash: hash(seq) }));

/** Both ends as they should be after the link campaign: the hub holds the log once, nothing stuck. */
function healthy(): LinkEnds {
  return {
    gatewayLog: log,
    hubEvents: log.map((event) => ({
      seq: event.seq,
      eventId: event.eventId,
      status: 'accepted',
      chain: 'linked',
    })),
    hubChain: { headSeq: 3, headHash: hash(3) },
    hubRejections: 0,
    hubOpenGaps: 0,
    hubDeadLetters: 0,
    gatewayBacklog: 0,
    gatewayDeadLetters: 0,
    acknowledgedReadings: new Map([['mon-1/vitals#1', 1]]),
  };
}

const guarantees = (ends: LinkEnds) => linkEndViolations(ends, 7).map((violation) => violation.guarantee);

describe('the end state of the link campaign', () => {
  it('finds nothing wrong when the hub holds every event of the log once, accepted, with the same head', () => {
    expect(linkEndViolations(healthy(), 7)).toEqual([]);
  });

  it('reports a PUBACKed reading missing from the gateway log', () => {
    const ends = { ...healthy(), acknowledgedReadings: new Map([['mon-1/vitals#1', 0]]) };
    expect(linkEndViolations(ends, 7)).toEqual([
      {
        round: 7,
        guarantee: 'every PUBACKed reading is in the gateway log exactly once',
        detail: '1 not: mon-1/vitals#1 x0',
      },
    ]);
  });

  it('reports an event of the log the hub never stored', () => {
    const ends = { ...healthy(), hubEvents: healthy().hubEvents.filter((row) => row.seq !== 2) };
    expect(guarantees(ends)).toEqual(['every event of the gateway log is at the hub']);
  });

  it('reports an event the hub stored under another id, or did not accept', () => {
    const [first, second, third] = healthy().hubEvents;
    const ends = {
      ...healthy(),
      hubEvents: [
        first!,
        { ...second!, eventId: 'e-other' },
        { ...third!, status: 'pending', chain: 'awaiting' },
      ],
    };
    const [violation] = linkEndViolations(ends, 7);
    expect(violation?.guarantee).toBe('each event is stored once and accepted');
    expect(violation?.detail).toMatch(
      /^2 not: seq 2: e-other accepted\/linked \| seq 3: e-3 pending\/awaiting$/,
    );
  });

  it('reports rows at the hub the gateway never logged', () => {
    const ends = {
      ...healthy(),
      hubEvents: [...healthy().hubEvents, { seq: 4, eventId: 'e-4', status: 'accepted', chain: 'linked' }],
    };
    expect(guarantees(ends)).toEqual(['the hub holds nothing the gateway did not log']);
  });

  it("reports a hub chain head that is not the gateway's last event", () => {
    expect(guarantees({ ...healthy(), hubChain: { headSeq: 3, headHash: hash(9) } })).toEqual([
      "the hub's chain head is the gateway's last event",
    ]);
    expect(guarantees({ ...healthy(), hubChain: undefined })).toEqual([
      "the hub's chain head is the gateway's last event",
    ]);
  });

  it('reports anything refused or left waiting on either side', () => {
    const ends = {
      ...healthy(),
      hubRejections: 1,
      hubOpenGaps: 1,
      hubDeadLetters: 2,
      gatewayBacklog: 5,
      gatewayDeadLetters: 1,
    };
    expect(linkEndViolations(ends, 7).map((violation) => violation.detail)).toEqual([
      '1 ingest rejections at the hub',
      '1 open sequence gaps at the hub',
      "2 records on the hub's dead-letter topic",
      "5 events in the gateway's sync backlog",
      "1 events in the gateway's sync dead letters",
    ]);
  });
});
