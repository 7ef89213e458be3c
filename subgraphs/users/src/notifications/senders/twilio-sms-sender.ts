// SMS through Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json) with the
// official `twilio` client, asking for status callbacks (statusCallback) when a URL is set.
// Twilio answers with the message's sid, which its status callbacks carry as MessageSid.
import twilio from 'twilio';
import type { SendReceipt, SmsMessage, SmsSender } from '../domain/senders';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** A Twilio number (E.164) or an alphanumeric sender id. */
  from: string;
  statusCallbackUrl?: string;
  /**
   * Only tests point the client elsewhere (a local fake of the API, "http://127.0.0.1:port"): the
   * client has no base-URL option, so its HTTP client rewrites api.twilio.com to this origin.
   */
  apiBaseUrl?: string;
  timeoutMs?: number;
}

type TwilioClient = ReturnType<typeof twilio>;

export class TwilioSmsSender implements SmsSender {
  readonly provider = 'twilio' as const;
  private readonly client: TwilioClient;

  constructor(private readonly opts: TwilioOptions) {
    const httpClient = new twilio.RequestClient({ timeout: opts.timeoutMs ?? 10_000 });
    if (opts.apiBaseUrl) {
      const origin = new URL(opts.apiBaseUrl);
      const request = httpClient.request.bind(httpClient);
      httpClient.request = (o) => {
        const uri = new URL(o.uri);
        uri.protocol = origin.protocol;
        uri.host = origin.host;
        return request({ ...o, uri: uri.href });
      };
    }
    this.client = twilio(opts.accountSid, opts.authToken, { httpClient });
  }

  async send(message: SmsMessage): Promise<SendReceipt> {
    const sent = await this.client.messages.create({
      to: message.to,
      from: this.opts.from,
      body: message.text,
      ...(this.opts.statusCallbackUrl ? { statusCallback: this.opts.statusCallbackUrl } : {}),
    });
    return { providerMessageId: sent.sid };
  }
}
