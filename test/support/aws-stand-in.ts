// A stand-in for AWS at AWS_ENDPOINT_URL, on 127.0.0.1: every request is recorded, and answered with
// EC2's AuthFailure (the credentials refused, as AWS answers a key it does not know) unless `answer`
// gives a body for it (EC2's query protocol: the Action is in the form body).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AwsRequest {
  method: string;
  url: string;
  body: string;
  /** the query protocol's Action, or '' */
  action: string;
}

export interface AwsStandIn {
  url: string;
  received: AwsRequest[];
  close(): Promise<void>;
}

const AUTH_FAILURE =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>AuthFailure</Code>' +
  '<Message>AWS was not able to validate the provided access credentials</Message></Error></Errors>' +
  '<RequestID>test</RequestID></Response>';

/** EC2's empty answer to a Describe action: `<{Action}Response>` with the empty `set`. */
export function emptyEc2Answer(action: string, set: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
    `<requestId>test</requestId><${set}/></${action}Response>`
  );
}

export async function startAwsStandIn(answer?: (request: AwsRequest) => string | undefined): Promise<AwsStandIn> {
  const received: AwsRequest[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        body,
        action: new URLSearchParams(body).get('Action') ?? '',
      };
      received.push(request);
      const ok = answer?.(request);
      res.writeHead(ok === undefined ? 401 : 200, { 'content-type': 'text/xml' });
      res.end(ok ?? AUTH_FAILURE);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
