/**
 * The `sip-call` probe: one short synthetic call to an echo target, hand-written on
 * `node:dgram` like the OPTIONS probe.
 *
 * Why not a library: there is no maintained SIP user agent for Node (the old ones are
 * unmaintained and bring full dialog stacks we would have to trust blindly), and the
 * probe needs what a UA hides: the exact moment each INVITE retransmission and RTP
 * frame leaves, which answers belong to this call, and evidence of *how* a call
 * failed (no response, rang out, rejected with 503, credentials refused, answered
 * but silent, cut by the far end). The protocol surface is small: INVITE with digest
 * auth (401/407), ACK, CANCEL, BYE both ways, over UDP.
 *
 * Signalling goes to the configured host (an outbound proxy: PBX or carrier SBC) on a
 * connected socket; in-dialog requests follow the Record-Route set. No re-INVITE is
 * sent; one from the far end is declined (488), which keeps the media as offered.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { VoiceTestSpec } from '../../../../src-shared/facility-config.ts';
import {
  voiceState,
  type VoiceCallResult,
  type VoiceMeasurements,
  type VoiceVerdict,
} from '../../../../src-shared/voice.ts';
import {
  looksLikeRequest,
  parseCSeq,
  parseSipRequest,
  parseSipResponse,
  SipParseError,
  topViaBranch,
} from '../sip-parser.ts';
import type { SipResponse, SipRequest } from '../sip-parser.ts';
import { SIP_T1_MS, SIP_T2_MS } from '../sip-options-probe.ts';
import { digestAuthorization, pickChallenge, DigestError } from './digest.ts';
import { buildSdpOffer, parseSdpAnswer, SdpError, type G711Codec, type SdpAnswer } from './sdp.ts';
import {
  buildRequest,
  buildResponse,
  contactUri,
  hostPort,
  newBranch,
  newToken,
  tagOf,
  type DialogIds,
} from './call-messages.ts';
import { openMediaSession, type MediaSession } from './media-session.ts';
import { measureMedia } from './media-stats.ts';
import { estimateMos } from './e-model.ts';

export interface SipCredential {
  username: string;
  password: string;
}

export interface TestCallContext {
  wallClock: () => number;
  /** The line the call tests: named in errors a person has to act on. */
  lineId: string;
  credential: SipCredential | null;
  t1Ms?: number;
  /** How long to keep listening for echoes after the last frame went out. */
  tailMs?: number;
}

type Outcome = { verdict: VoiceVerdict; detail: string; sipStatus: number | null };

/** A call that measured nothing (refused before dialling, or no media started). */
export const NO_MEASUREMENTS: Readonly<VoiceMeasurements> = {
  setupMs: null,
  rttMs: null,
  sent: 0,
  received: 0,
  lossPct: null,
  jitterMs: null,
  longestGapMs: null,
  latePct: null,
  mos: null,
  r: null,
  codec: null,
  talkMs: null,
};

const round = (n: number) => Math.round(n * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Place one test call. Never throws: every failure is a verdict with its evidence. */
export async function placeTestCall(spec: VoiceTestSpec, ctx: TestCallContext): Promise<VoiceCallResult> {
  const startedAt = Math.floor(ctx.wallClock());
  const call = new TestCall(spec, ctx);
  let outcome: Outcome;
  try {
    outcome = await call.run();
  } catch (error) {
    outcome = {
      verdict: 'error',
      detail: `probe failed: ${(error as Error)?.message ?? String(error)}`,
      sipStatus: null,
    };
  } finally {
    call.close();
  }
  return {
    verdict: outcome.verdict,
    state: voiceState(outcome.verdict),
    sipStatus: outcome.sipStatus,
    detail: outcome.detail.length > 500 ? `${outcome.detail.slice(0, 497)}...` : outcome.detail,
    measurements: call.measurements(),
    startedAt,
    at: Math.floor(ctx.wallClock()),
  };
}

class TestCall {
  private readonly socket: dgram.Socket;
  private media: MediaSession | null = null;
  private dialog: DialogIds | null = null;
  private routes: string[] = [];
  private remoteTarget = '';
  private cseq = 1;
  private inviteBranch = '';
  private inviteText = '';
  private inviteSentAt = 0;
  private answeredAt: number | null = null;
  private mediaStartedAt: number | null = null;
  private mediaEndedAt: number | null = null;
  private codec: G711Codec | null = null;
  private ackText: string | null = null;
  private readonly t1: number;
  private readonly host: string;
  private waiter: ((m: { response?: SipResponse; request?: SipRequest }) => void) | null = null;
  private farEndBye: SipRequest | null = null;
  private onFarEndBye: (() => void) | null = null;
  private socketError: NodeJS.ErrnoException | null = null;
  private closed = false;
  private unreadable = 0;

  private readonly spec: VoiceTestSpec;
  private readonly ctx: TestCallContext;

  constructor(spec: VoiceTestSpec, ctx: TestCallContext) {
    this.spec = spec;
    this.ctx = ctx;
    this.t1 = ctx.t1Ms ?? SIP_T1_MS;
    this.host = spec.host.startsWith('[') ? spec.host.slice(1, -1) : spec.host;
    this.socket = dgram.createSocket(net.isIPv6(this.host) ? 'udp6' : 'udp4');
  }

  close(): void {
    this.closed = true;
    this.waiter?.({});
    this.media?.close();
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }

  measurements(): VoiceMeasurements {
    const setupMs = this.answeredAt === null ? null : round(this.answeredAt - this.inviteSentAt);
    if (!this.media || this.mediaStartedAt === null) return { ...NO_MEASUREMENTS, setupMs, codec: this.codec };
    const listenedUntil = this.mediaEndedAt ?? performance.now();
    const stats = measureMedia({
      sent: this.media.sent,
      echoed: this.media.echoed,
      listenedUntil,
      jitterBufferMs: this.spec.jitterBufferMs,
    });
    const mos =
      stats.received === 0
        ? { mos: null, r: null }
        : estimateMos({
            rttMs: stats.rttMs ?? 0,
            jitterBufferMs: this.spec.jitterBufferMs,
            effectiveLossPct: Math.min(100, stats.lossPct + stats.latePct),
          });
    return {
      setupMs,
      rttMs: stats.rttMs,
      sent: stats.sent,
      received: stats.received,
      lossPct: stats.lossPct,
      jitterMs: stats.jitterMs,
      longestGapMs: stats.longestGapMs,
      latePct: stats.latePct,
      mos: mos.mos === null ? null : Math.max(1, Math.min(4.5, mos.mos)),
      r: mos.r,
      codec: this.codec,
      talkMs: round(listenedUntil - this.mediaStartedAt),
    };
  }

  async run(): Promise<Outcome> {
    this.socket.on('message', (raw) => this.receive(raw));
    this.socket.on('error', (error: NodeJS.ErrnoException) => {
      this.socketError = error;
      this.waiter?.({});
    });
    await new Promise<void>((resolve) => this.socket.connect(this.spec.port, this.host, resolve));
    const local = this.socket.address();
    this.media = await openMediaSession(local.address);
    const domain = this.spec.domain ?? hostPort(this.host, this.spec.port);
    const fromUser = this.ctx.credential?.username ?? 'guardline';
    this.dialog = {
      callId: `${newToken(12)}@guardline`,
      fromUri: `sip:${fromUser}@${domain}`,
      fromTag: newToken(6),
      toUri: `sip:${this.spec.echoUser}@${domain}`,
      toTag: null,
      local: hostPort(local.address, local.port),
    };
    this.remoteTarget = this.dialog.toUri;
    const answer = await this.invite();
    if ('verdict' in answer) return answer;
    return this.talk(answer);
  }

  // ---- signalling ----

  private receive(raw: Buffer): void {
    try {
      if (looksLikeRequest(raw)) {
        const request = parseSipRequest(raw);
        this.onRequest(request);
        this.waiter?.({ request });
      } else {
        const response = parseSipResponse(raw);
        if (response.headers.get('call-id')?.[0] !== this.dialog?.callId) return;
        // A retransmitted 200 means our ACK was lost: send it again (§13.2.2.4).
        if (this.ackText && response.status >= 200 && response.status < 300 && cseqMethod(response) === 'INVITE') {
          this.send(this.ackText);
        }
        this.waiter?.({ response });
      }
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      this.unreadable += 1;
    }
  }

  private onRequest(request: SipRequest): void {
    const ours = request.headers.get('call-id')?.[0] === this.dialog?.callId;
    if (request.method === 'ACK') return;
    if (!ours) return this.send(buildResponse(request, 481, 'Call/Transaction Does Not Exist', newToken(4)));
    const toTag = this.dialog?.fromTag ?? newToken(4);
    if (request.method === 'BYE') {
      this.send(buildResponse(request, 200, 'OK', toTag));
      if (!this.farEndBye) {
        this.farEndBye = request;
        this.onFarEndBye?.();
      }
    } else if (request.method === 'INVITE') {
      this.send(buildResponse(request, 488, 'Not Acceptable Here', toTag));
    } else if (request.method === 'OPTIONS') {
      this.send(buildResponse(request, 200, 'OK', toTag));
    } else {
      this.send(buildResponse(request, 501, 'Not Implemented', toTag));
    }
  }

  private send(text: string): void {
    if (this.closed) return;
    this.socket.send(text, (error) => {
      if (error) {
        this.socketError = error;
        this.waiter?.({});
      }
    });
  }

  /** Wait for the next response to `branch` (or until `ms` passed). */
  private next(branch: string, ms: number): Promise<SipResponse | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiter = null;
        resolve(null);
      }, ms);
      this.waiter = (m) => {
        if (this.socketError || this.closed) {
          clearTimeout(timer);
          this.waiter = null;
          return resolve(null);
        }
        if (!m.response || topViaBranch(m.response) !== branch) return;
        clearTimeout(timer);
        this.waiter = null;
        resolve(m.response);
      };
    });
  }

  private sendInvite(authorization: string | null): void {
    const d = this.dialog!;
    this.inviteBranch = newBranch();
    const sdp = buildSdpOffer({
      sessionId: String(Date.now()),
      address: this.socket.address().address,
      port: this.media!.port,
      codecs: this.spec.codec === 'PCMA' ? ['PCMA', 'PCMU'] : ['PCMU', 'PCMA'],
      ptimeMs: 20,
    });
    this.inviteText = buildRequest(d, {
      method: 'INVITE',
      ruri: this.remoteTarget,
      branch: this.inviteBranch,
      cseq: this.cseq,
      headers: authorization ? [authorization] : [],
      body: { type: 'application/sdp', text: sdp },
    });
    this.send(this.inviteText);
  }

  /** INVITE until a final answer: retransmit per Timer A, answer one challenge, CANCEL when it rings out. */
  private async invite(): Promise<Outcome | SdpAnswer> {
    const d = this.dialog!;
    this.inviteSentAt = performance.now();
    const deadline = this.inviteSentAt + this.spec.answerTimeoutMs;
    let authTried = false;
    this.sendInvite(null);
    let provisional: number | null = null;
    let wait = this.t1;
    let nextRetransmit = performance.now() + wait;
    for (;;) {
      const now = performance.now();
      if (this.socketError) return this.networkOutcome();
      if (now >= deadline) return this.ringOut(provisional);
      const until = provisional === null ? Math.min(nextRetransmit, deadline) : deadline;
      const response = await this.next(this.inviteBranch, Math.max(1, until - now));
      if (!response) {
        if (provisional === null && performance.now() >= nextRetransmit) {
          this.send(this.inviteText);
          wait = Math.min(wait * 2, SIP_T2_MS);
          nextRetransmit = performance.now() + wait;
        }
        continue;
      }
      if (cseqMethod(response) !== 'INVITE') continue;
      if (response.status < 200) {
        provisional = Math.max(provisional ?? 0, response.status);
        continue;
      }
      if (response.status >= 300) this.ackFailure(response);
      if (response.status === 401 || response.status === 407) {
        const challengeHeader = response.status === 401 ? 'www-authenticate' : 'proxy-authenticate';
        const challenge = safeChallenge(response.headers.get(challengeHeader) ?? []);
        if (!this.ctx.credential) {
          return authFailed(this.ctx.lineId, response, 'the target asks for credentials and the line has none');
        }
        if (challenge === null) {
          return authFailed(
            this.ctx.lineId,
            response,
            'no digest challenge with an algorithm we support (MD5, SHA-256)',
          );
        }
        if (authTried && !challenge.stale) {
          return authFailed(
            this.ctx.lineId,
            response,
            `credentials for "${this.ctx.credential.username}" were refused`,
          );
        }
        authTried = true;
        this.cseq += 1;
        const value = digestAuthorization({
          challenge,
          username: this.ctx.credential.username,
          password: this.ctx.credential.password,
          method: 'INVITE',
          uri: this.remoteTarget,
        });
        this.sendInvite(`${response.status === 401 ? 'Authorization' : 'Proxy-Authorization'}: ${value}`);
        provisional = null;
        wait = this.t1;
        nextRetransmit = performance.now() + wait;
        continue;
      }
      if (response.status >= 300) {
        const verdict = [408, 480, 487].includes(response.status) ? 'no_answer' : 'rejected';
        return { verdict, sipStatus: response.status, detail: `${response.status} ${response.reason}`.trim() };
      }
      const answer = this.answered(response, d);
      if ('verdict' in answer) await this.bye(); // answered with SDP we cannot use: hang up properly
      return answer;
    }
  }

  private networkOutcome(): Outcome {
    const e = this.socketError!;
    const detail =
      e.code === 'ECONNREFUSED' ? 'refused: nothing listens at the target' : `${e.code ?? 'error'}: ${e.message}`;
    return { verdict: 'no_answer', sipStatus: null, detail };
  }

  /** Non-2xx final answers are ACKed in the INVITE's own transaction (§17.1.1.3). */
  private ackFailure(response: SipResponse): void {
    const d = { ...this.dialog!, toTag: tagOf(response.headers.get('to')?.[0]) };
    this.send(buildRequest(d, { method: 'ACK', ruri: this.remoteTarget, branch: this.inviteBranch, cseq: this.cseq }));
  }

  private async ringOut(provisional: number | null): Promise<Outcome> {
    const seconds = Math.round(this.spec.answerTimeoutMs / 100) / 10;
    if (provisional === null) {
      return { verdict: 'no_answer', sipStatus: null, detail: `no response to INVITE in ${seconds} s` };
    }
    // A transaction with a provisional answer is cancelled (§9.1); the 487 that follows is ACKed.
    const cancel = buildRequest(this.dialog!, {
      method: 'CANCEL',
      ruri: this.remoteTarget,
      branch: this.inviteBranch,
      cseq: this.cseq,
    });
    this.send(cancel);
    const until = performance.now() + 4 * this.t1;
    while (performance.now() < until) {
      const r = await this.next(this.inviteBranch, Math.max(1, until - performance.now()));
      if (r && r.status >= 300 && cseqMethod(r) === 'INVITE') {
        this.ackFailure(r);
        break;
      }
      if (r && r.status >= 200 && r.status < 300 && cseqMethod(r) === 'INVITE') {
        // Answered just as we gave up: hang up properly so the far end frees the channel.
        this.answered(r, this.dialog!);
        await this.bye();
        break;
      }
    }
    return {
      verdict: 'no_answer',
      sipStatus: provisional,
      detail: `rang (${provisional}) for ${seconds} s, no answer`,
    };
  }

  private answered(response: SipResponse, d: DialogIds): SdpAnswer | Outcome {
    this.answeredAt ??= performance.now();
    d.toTag = tagOf(response.headers.get('to')?.[0]);
    this.remoteTarget = contactUri(response.headers.get('contact')?.[0]) ?? this.remoteTarget;
    this.routes = [...(response.headers.get('record-route') ?? [])].reverse();
    this.ackText = buildRequest(d, {
      method: 'ACK',
      ruri: this.remoteTarget,
      branch: newBranch(),
      cseq: this.cseq,
      routes: this.routes,
    });
    this.send(this.ackText);
    try {
      const sdp = parseSdpAnswer(response.body);
      this.codec = sdp.codec;
      return sdp;
    } catch (error) {
      if (!(error instanceof SdpError)) throw error;
      return {
        verdict: 'error',
        sipStatus: response.status,
        detail: `answered, but the SDP answer is unusable: ${error.message}`,
      };
    }
  }

  // ---- media and hang-up ----

  private async talk(answer: SdpAnswer): Promise<Outcome> {
    const media = this.media!;
    this.mediaStartedAt = performance.now();
    const farEndHungUp = new Promise<void>((resolve) => {
      if (this.farEndBye) resolve();
      this.onFarEndBye = resolve;
    });
    await Promise.race([media.stream(answer, this.spec.durationMs), farEndHungUp]);
    if (!this.farEndBye) await Promise.race([sleep(this.ctx.tailMs ?? 500), farEndHungUp]);
    media.stop();
    this.mediaEndedAt = performance.now();
    const talked = Math.round(this.mediaEndedAt - this.mediaStartedAt);
    if (this.farEndBye) {
      return {
        verdict: 'dropped',
        sipStatus: 200,
        detail: `far end hung up after ${(talked / 1000).toFixed(1)} s of ${(this.spec.durationMs / 1000).toFixed(1)} s`,
      };
    }
    const byeNote = await this.bye();
    const m = this.measurements();
    const note = byeNote ? `; ${byeNote}` : '';
    if (m.received === 0) {
      const dir = answer.direction === 'sendrecv' ? '' : ` (far end SDP: ${answer.direction})`;
      return {
        verdict: 'no_media',
        sipStatus: 200,
        detail: `answered, no media back: 0 of ${m.sent} packets echoed${dir}${note}`,
      };
    }
    const figures = `MOS ${m.mos?.toFixed(2)}, loss ${m.lossPct} %, jitter ${m.jitterMs} ms, late ${m.latePct} %`;
    if (m.mos !== null && m.mos < this.spec.mosFloor) {
      return { verdict: 'poor_quality', sipStatus: 200, detail: `${figures} (floor ${this.spec.mosFloor})${note}` };
    }
    return { verdict: 'ok', sipStatus: 200, detail: `${figures}${note}` };
  }

  /** Our BYE, retransmitted per Timer E until answered; returns a note when it was not. */
  private async bye(): Promise<string | null> {
    this.cseq += 1;
    const branch = newBranch();
    const text = buildRequest(this.dialog!, {
      method: 'BYE',
      ruri: this.remoteTarget,
      branch,
      cseq: this.cseq,
      routes: this.routes,
    });
    let wait = this.t1;
    const until = performance.now() + 8 * this.t1;
    this.send(text);
    while (performance.now() < until) {
      const r = await this.next(branch, Math.min(wait, Math.max(1, until - performance.now())));
      if (r && r.status >= 200) return r.status < 300 || r.status === 481 ? null : `BYE answered ${r.status}`;
      if (this.farEndBye) return null;
      if (!r) {
        this.send(text);
        wait = Math.min(wait * 2, SIP_T2_MS);
      }
    }
    return 'BYE unanswered';
  }
}

function cseqMethod(response: SipResponse): string {
  return parseCSeq(response.headers.get('cseq')![0]!).method;
}

function safeChallenge(values: readonly string[]) {
  try {
    return pickChallenge(values);
  } catch (error) {
    if (error instanceof DigestError) return null;
    throw error;
  }
}

function authFailed(lineId: string, response: SipResponse, why: string): Outcome {
  return {
    verdict: 'auth_failed',
    sipStatus: response.status,
    detail: `line ${lineId}: authentication failed (${response.status} ${response.reason}): ${why}`,
  };
}
