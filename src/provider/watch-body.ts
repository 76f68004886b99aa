/**
 * A fetch whose response bodies call `onBytes` for every chunk that arrives, so an idle timer can measure silence
 * on the wire (SSE keep-alive comments included) rather than parsed events.
 */
export function watchBody(fetchImpl: typeof fetch, onBytes: () => void): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    if (!response.body) return response;
    const body = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          onBytes();
          controller.enqueue(chunk);
        },
      }),
    );
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
