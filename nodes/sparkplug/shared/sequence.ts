/** Sparkplug sequence numbers: seq and bdSeq both run 0–255 and wrap. */
export const SEQ_MODULO = 256;

export function nextSeqNumber(seq: number): number {
  return (seq + 1) % SEQ_MODULO;
}

/**
 * The `seq` of an edge node's messages: NBIRTH carries 0 and every later
 * message (DBIRTH, NDATA, DDATA, DDEATH) the next value, wrapping 255 → 0.
 */
export class SeqCounter {
  private last = -1;

  /** The seq for an NBIRTH (restarts the count). */
  birth(): number {
    this.last = 0;
    return 0;
  }

  next(): number {
    this.last = nextSeqNumber(this.last);
    return this.last;
  }
}

/**
 * bdSeq ("birth/death sequence"): one value per MQTT session, carried by the
 * Will (NDEATH) registered in CONNECT and by every NBIRTH of that session.
 * A CONNECT that never got a CONNACK registered no Will, so its value is
 * reused: the next session's bdSeq is always the last session's + 1.
 */
export class BdSeqCounter {
  private value: number;
  private used = false;

  constructor(initial = 0) {
    this.value = initial % SEQ_MODULO;
  }

  /** The bdSeq to put in the Will of the next CONNECT. */
  forConnect(): number {
    if (this.used) {
      this.value = nextSeqNumber(this.value);
      this.used = false;
    }
    return this.value;
  }

  /** The broker accepted the CONNECT: the current value now names a session. */
  sessionEstablished(): number {
    this.used = true;
    return this.value;
  }

  get current(): number {
    return this.value;
  }
}
