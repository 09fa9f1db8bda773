import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake server got. */
export interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    [key: string]: unknown;
  };
}

/**
 * How the server answers a request: `ok` (a chat completion), `error` (500, which the AI SDK marks
 * retryable), `bad-request` (400, not retryable) or `hang` (reads it, never answers).
 */
export type Reply = 'ok' | 'error' | 'bad-request' | 'hang';

/** The usage every `ok` answer reports. The total counts one token more than input + output, as a provider may. */
export const SERVER_USAGE = { prompt_tokens: 42, completion_tokens: 7, total_tokens: 50 };

/** A local server speaking the OpenAI chat-completions API, so the real provider packages run offline. */
export interface ChatServer {
  /** `http://127.0.0.1:<port>`; the API is under `/v1`. */
  readonly origin: string;
  readonly received: Received[];
  /** How requests are answered once `next` is empty. Default `ok`. */
  mode: Reply;
  /** Replies for the next requests, in order, before `mode` applies. */
  next: Reply[];
  /** Requests neither answered nor closed by their client (an aborted request closes its connection). */
  openRequests(): number;
  /** Forget what was received and answer `ok` again. */
  reset(): void;
  close(): Promise<void>;
}

export async function startChatServer(): Promise<ChatServer> {
  const received: Received[] = [];
  let open = 0;
  const server = createServer((request, response) => {
    open += 1;
    response.on('close', () => {
      open -= 1;
    });
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const body = JSON.parse(raw) as Received['body'];
      received.push({ url: request.url ?? '', headers: request.headers, body });
      const reply = state.next.shift() ?? state.mode;
      if (reply === 'hang') return; // never answers: only the client's abort ends the call
      if (reply === 'error' || reply === 'bad-request') {
        response.writeHead(reply === 'error' ? 500 : 400, { 'content-type': 'application/json' });
        const message = reply === 'error' ? 'the server is on fire' : 'no such model';
        response.end(JSON.stringify({ error: { message, type: 'server_error' } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          id: 'chatcmpl-test',
          object: 'chat.completion',
          created: 1_700_000_000,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: 'Real answer.' }, finish_reason: 'stop' }],
          usage: SERVER_USAGE,
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: ChatServer = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    mode: 'ok',
    next: [],
    openRequests: () => open,
    reset() {
      received.length = 0;
      state.mode = 'ok';
      state.next = [];
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  return state;
}
