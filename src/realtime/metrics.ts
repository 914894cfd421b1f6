/** @module The hub's counters and delivery-latency histogram, rendered as Prometheus text. */

const buckets = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500];

/** Realtime metrics. */
export class RealtimeMetrics {
  connectedClients = 0;
  subscriptions = 0;
  eventsSent = 0;
  eventsDropped = 0;
  slowClientsClosed = 0;
  /** Subscriber identities (role + claims) holding an engine session; set by the hub. */
  identities = 0;
  readonly #counts = new Array<number>(buckets.length + 1).fill(0);
  #sumMs = 0;
  #n = 0;

  /** Records one commit-to-send latency in milliseconds. */
  observeLatency(ms: number): void {
    let i = 0;
    while (i < buckets.length && ms > buckets[i]!) i++;
    this.#counts[i]!++;
    this.#sumMs += ms;
    this.#n++;
  }

  /** Prometheus text exposition. */
  render(): string {
    const lines = [
      "# HELP bkg_realtime_connected_clients Open realtime websocket connections.",
      "# TYPE bkg_realtime_connected_clients gauge",
      `bkg_realtime_connected_clients ${this.connectedClients}`,
      "# HELP bkg_realtime_subscriptions Active postgres_changes subscriptions.",
      "# TYPE bkg_realtime_subscriptions gauge",
      `bkg_realtime_subscriptions ${this.subscriptions}`,
      "# HELP bkg_realtime_identities Subscriber identities (role and claims) with an engine session.",
      "# TYPE bkg_realtime_identities gauge",
      `bkg_realtime_identities ${this.identities}`,
      "# HELP bkg_realtime_events_sent_total postgres_changes events sent to clients.",
      "# TYPE bkg_realtime_events_sent_total counter",
      `bkg_realtime_events_sent_total ${this.eventsSent}`,
      "# HELP bkg_realtime_events_dropped_total Events not delivered because a client was cut off.",
      "# TYPE bkg_realtime_events_dropped_total counter",
      `bkg_realtime_events_dropped_total ${this.eventsDropped}`,
      "# HELP bkg_realtime_slow_clients_closed_total Clients closed for send-buffer overflow.",
      "# TYPE bkg_realtime_slow_clients_closed_total counter",
      `bkg_realtime_slow_clients_closed_total ${this.slowClientsClosed}`,
      "# HELP bkg_realtime_delivery_latency_seconds Commit durable to event handed to the socket.",
      "# TYPE bkg_realtime_delivery_latency_seconds histogram",
    ];
    let cum = 0;
    for (let i = 0; i < buckets.length; i++) {
      cum += this.#counts[i]!;
      lines.push(`bkg_realtime_delivery_latency_seconds_bucket{le="${buckets[i]! / 1000}"} ${cum}`);
    }
    cum += this.#counts[buckets.length]!;
    lines.push(`bkg_realtime_delivery_latency_seconds_bucket{le="+Inf"} ${cum}`);
    lines.push(`bkg_realtime_delivery_latency_seconds_sum ${this.#sumMs / 1000}`);
    lines.push(`bkg_realtime_delivery_latency_seconds_count ${this.#n}`);
    return lines.join("\n") + "\n";
  }
}
