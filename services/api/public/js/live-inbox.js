// The live side of the inbox: one WebSocket per tab, reconnecting with the last seen seq as cursor so
// nothing is missed; items are de-duplicated by seq before listeners see them.
export function connectLiveInbox(api, { onItem, onState, onRefused, cursor }) {
  const seen = new Set();
  let lastSeq = cursor ?? 0;
  let socket = null;
  let attempts = 0;
  let closed = false;

  const open = () => {
    onState('connecting');
    socket = new WebSocket(api.wsUrl(lastSeq || undefined));
    socket.onopen = () => { attempts = 0; onState('live'); };
    socket.onmessage = (message) => {
      const item = JSON.parse(message.data);
      if (typeof item?.seq !== 'number' || seen.has(item.seq)) return;
      seen.add(item.seq);
      lastSeq = Math.max(lastSeq, item.seq);
      onItem(item);
    };
    socket.onclose = (event) => {
      onState('offline');
      if (closed) return;
      // 4401 (expired), 4403 (another user's token), 1008: retrying with this token cannot help.
      if (event.code === 4401 || event.code === 4403 || event.code === 1008) return onRefused?.(event.reason);
      const delay = Math.min(30_000, 500 * 2 ** attempts++) * (0.5 + Math.random() / 2);
      setTimeout(open, delay);
    };
  };
  open();
  return {
    close: () => { closed = true; socket?.close(); },
  };
}
