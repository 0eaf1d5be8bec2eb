/**
 * Wire format between two consoles of one facility (the LAN mesh, DESIGN §10).
 *
 * One mutual-TLS connection per pair of consoles carries length-prefixed JSON frames in
 * both directions. Each side offers its log as a feed: the other subscribes "after my
 * cursor" and receives every event past it in log order, first as catch-up, then live
 * as commits happen (Secure Scuttlebutt's live history stream), acknowledging what it
 * has stored. Event batches have the same envelope as a tracker push; a batch is at
 * most PUSH_MAX_EVENTS events and MESH_MAX_FRAME_BYTES bytes.
 */
import { z } from 'zod';
import { EventEnvelope } from './events.ts';

export const MESH_PROTOCOL_VERSION = 1;
/** Largest frame either side accepts; a bigger length prefix closes the connection. */
export const MESH_MAX_FRAME_BYTES = 4 * 1024 * 1024;
/**
 * Events per batch a sender puts in one frame. A receiver stores a frame (and frames already
 * queued behind it, up to 2,000 events as its time budget allows: MESH_MERGE_EVENTS in
 * core/mesh/peer-session.ts) in one transaction, so the frame size sets how many
 * disk flushes a catch-up costs: at 200 a 6,000-event catch-up took 16 commits and ran at
 * ~1,100-1,500 events/s on the loaded 2-core machine, at 500 it took 6 and ran at ~2,500-2,700
 * (issue 12e, profile of the receiver: most of its time was SQLite and the commits, not
 * verification). A 1,000-event append is still tens of milliseconds of CPU on a quiet machine.
 */
export const MESH_BATCH_EVENTS = 500;
/**
 * Batches a sender may have unacknowledged at once (flow control; the receiver pauses the socket
 * at 8 frames queued). 8, not 4 (issue 12i): the receiver merges the batches queued behind the one
 * it stores, and with 4 out it mostly found one or none there (a catch-up of 21,674 events in 37
 * transactions; with 8, 31, thirteen of them two batches).
 */
export const MESH_WINDOW = 8;

const DeviceId = z.string().min(1).max(64);
/** Devices a subscribe may name marks for (a facility has tens of consoles, not thousands). */
export const MESH_MAX_MARKS = 4096;
const Text = z.string().max(120);

/** How this console reaches the tracker, gossiped so peers can say "HQ via B". */
export const MeshTrackerState = z.enum(['live', 'offline', 'not_configured']);
export type MeshTrackerState = z.infer<typeof MeshTrackerState>;

export const HelloFrame = z
  .object({
    t: z.literal('hello'),
    v: z.number().int(),
    deviceId: DeviceId,
    facility: Text,
    name: Text,
    unit: Text,
    /** The sender's newest log seq. */
    head: z.number().int().nonnegative(),
    tracker: MeshTrackerState,
    /** Only when pairing by one-time code (see core/mesh/pairing.ts). */
    pair: z
      .object({ proof: z.string().regex(/^[0-9a-f]{64}$/) })
      .strict()
      .optional(),
  })
  .strict();

/** The acceptor's answer to a good pairing proof: its own proof of the code. */
export const PairedFrame = z.object({ t: z.literal('paired'), proof: z.string().regex(/^[0-9a-f]{64}$/) }).strict();

/**
 * "Send me your log after `after`": the receiver's cursor in the sender's log, plus its
 * per-device high-water marks ("A up to 120, B up to 75": every event of that author up to
 * that sequence number is held), so the sender skips what the receiver already got
 * through another peer.
 */
export const SubscribeFrame = z
  .object({
    t: z.literal('subscribe'),
    after: z.number().int().nonnegative(),
    marks: z
      .record(DeviceId, z.number().int().nonnegative())
      .refine((m) => Object.keys(m).length <= MESH_MAX_MARKS, { error: `at most ${MESH_MAX_MARKS} devices` })
      .default({}),
  })
  .strict();

/** An event on the feed: the envelope, its place in the sender's log, and the tracker's seq if known. */
export const FeedEvent = EventEnvelope.extend({
  seq: z.number().int().positive(),
  serverSeq: z.number().int().positive().nullable(),
}).passthrough();
export type FeedEvent = z.infer<typeof FeedEvent>;

/** Events an `events` frame may hold. */
export const MESH_FRAME_MAX_EVENTS = 1000;

export const EventsFrame = z
  .object({
    t: z.literal('events'),
    events: z.array(FeedEvent).max(MESH_FRAME_MAX_EVENTS),
    /** The sender's log seq this batch reaches (events authored by the receiver are skipped, not sent). */
    last: z.number().int().nonnegative(),
  })
  .strict();

export const AckFrame = z.object({ t: z.literal('ack'), last: z.number().int().nonnegative() }).strict();

export const StatusFrame = z
  .object({
    t: z.literal('status'),
    head: z.number().int().nonnegative(),
    tracker: MeshTrackerState,
    /**
     * Bumped each time the sender's store learns of events the tracker holds (its pushes
     * acknowledged, its pulls): a peer with events still pending asks which of them (below).
     */
    acked: z.number().int().nonnegative().optional(),
  })
  .strict();

/** Ids a console asks per frame whether the tracker holds them. */
export const MESH_ASK_IDS = 500;

/**
 * "Does the tracker hold these?": events this console has not yet got to the tracker
 * itself (its pending ones), asked of a peer that may have forwarded them or pulled them.
 */
export const TrackerAskFrame = z
  .object({ t: z.literal('tracker_ask'), ids: z.array(EventEnvelope.shape.id).max(MESH_ASK_IDS) })
  .strict();

/** The answer: those of the asked ids the sender knows the tracker holds, with the tracker's seq. */
export const TrackerHeldFrame = z
  .object({
    t: z.literal('tracker_held'),
    acks: z
      .array(z.object({ id: EventEnvelope.shape.id, serverSeq: z.number().int().positive() }).strict())
      .max(MESH_ASK_IDS),
  })
  .strict();

export const PingFrame = z.object({ t: z.literal('ping') }).strict();

/** Sent before closing: why this side refuses the other (shown in logs, never retried blindly). */
export const RefuseFrame = z
  .object({ t: z.literal('refuse'), code: z.string().max(64), message: z.string().max(1000) })
  .strict();

export const MeshFrame = z.discriminatedUnion('t', [
  HelloFrame,
  PairedFrame,
  SubscribeFrame,
  EventsFrame,
  AckFrame,
  StatusFrame,
  TrackerAskFrame,
  TrackerHeldFrame,
  PingFrame,
  RefuseFrame,
]);
export type MeshFrame = z.infer<typeof MeshFrame>;
export type HelloFrame = z.infer<typeof HelloFrame>;

/** Why a peer was refused; logged, counted and shown to admins. */
export const MESH_REFUSALS = [
  'unknown_device',
  'wrong_device',
  'other_facility',
  'bad_frame',
  'frame_too_large',
  'bad_event',
  'bad_signature',
  'clock_skew',
  'flooding',
  'protocol_version',
  'handshake_timeout',
  /** A configured address that turned out to be this console itself: not dialled again. */
  'self',
] as const;
export type MeshRefusal = (typeof MESH_REFUSALS)[number];
