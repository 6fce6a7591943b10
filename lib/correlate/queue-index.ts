/**
 * The newest queue of each server and queue id (Postfix reuses short queue ids). Keyed by server,
 * then id: looked up for nearly every Postfix line, where a key joined from both cost a string
 * built and hashed per line.
 */
export class QueueIndex {
  private readonly byHost = new Map<string, Map<string, number>>();

  get(host: string | null, queueId: string): number | undefined {
    return this.byHost.get(host ?? "")?.get(queueId);
  }

  set(host: string | null, queueId: string, seq: number): void {
    let ids = this.byHost.get(host ?? "");
    if (!ids) {
      ids = new Map();
      this.byHost.set(host ?? "", ids);
    }
    ids.set(queueId, seq);
  }

  /** Forgets the id unless a newer queue took it meanwhile. */
  deleteIf(host: string | null, queueId: string, seq: number): void {
    const ids = this.byHost.get(host ?? "");
    if (ids?.get(queueId) === seq) ids.delete(queueId);
  }
}
