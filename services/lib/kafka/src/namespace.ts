/**
 * A namespace prefix for every topic and consumer group of one deployment, so several environments
 * (or parallel test runs) can share a cluster without seeing each other's records or offsets. The rest
 * of the code keeps using logical names; only the adapter sees physical ones.
 */
export class Namespace {
  constructor(readonly prefix: string) {
    if (prefix !== '' && !/^[A-Za-z0-9._-]+$/.test(prefix)) throw new Error(`invalid Kafka namespace prefix "${prefix}"`);
  }

  topic(logical: string): string {
    return this.prefix + logical;
  }

  group(logical: string): string {
    return this.prefix + logical;
  }

  /** The logical name of a physical topic, or null when it belongs to another namespace. */
  logical(physical: string): string | null {
    if (this.prefix === '') return physical;
    return physical.startsWith(this.prefix) ? physical.slice(this.prefix.length) : null;
  }

  logicalTopic(physical: string): string {
    const name = this.logical(physical);
    if (name === null) throw new Error(`topic ${physical} is outside namespace ${this.prefix}`);
    return name;
  }
}
