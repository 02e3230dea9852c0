import { ConfigurationError } from './errors.js';

/**
 * Where requests go: a region's public endpoint or an explicit URL. The
 * rule is the same for every surface (the client, the n8n credential, the
 * CLI): HTTPS, except to a loopback address or with an explicit opt-in;
 * no user name, password, query or fragment.
 */
export interface EndpointOptions {
  region?: string | undefined;
  endpoint?: string | undefined;
  allowInsecureHttp?: boolean | undefined;
}

/** How a surface names its settings in messages (the defaults name the client's options). */
export interface EndpointWording {
  /** The subject of endpoint messages. Default `The endpoint`. */
  endpoint?: string;
  /** How to allow plain HTTP. Default `set allowInsecureHttp: true`. */
  allowInsecureHttp?: string;
  /** What to do about a bad region. Default: name two regions. */
  region?: string;
}

export const REGION_PATTERN = /^[a-z]{2,}(-[a-z]+)+-\d+$/;

/** The base URL requests go to, without a trailing slash. Throws a ConfigurationError saying what to fix. */
export function resolveEndpoint(options: EndpointOptions, wording: EndpointWording = {}): string {
  const subject = wording.endpoint ?? 'The endpoint';
  if (options.endpoint !== undefined && options.endpoint !== '') {
    let url: URL;
    try {
      url = new URL(options.endpoint);
    } catch {
      throw new ConfigurationError(
        `${subject} "${options.endpoint.slice(0, 200)}" is not a URL; use e.g. https://modelarts.cn-north-4.myhuaweicloud.com`,
      );
    }
    if (url.username || url.password) {
      throw new ConfigurationError(`${subject} must not contain a user name or password`);
    }
    if (url.search || url.hash) {
      throw new ConfigurationError(`${subject} must not contain a query or fragment`);
    }
    if (url.protocol === 'http:') {
      if (!isLoopback(url.hostname) && !options.allowInsecureHttp) {
        throw new ConfigurationError(
          `${subject} ${url.origin} uses plain HTTP, which would expose credentials on the network; use HTTPS, or ${wording.allowInsecureHttp ?? 'set allowInsecureHttp: true'} for a trusted private network`,
        );
      }
    } else if (url.protocol !== 'https:') {
      throw new ConfigurationError(`${subject} must be an http(s) URL, not ${url.protocol}`);
    }
    return url.href.replace(/\/+$/, '');
  }
  if (options.region !== undefined && options.region !== '') {
    if (!REGION_PATTERN.test(options.region)) {
      throw new ConfigurationError(
        `"${options.region.slice(0, 64)}" is not a Huawei Cloud region such as cn-north-4 or ap-southeast-1${wording.region ? `; ${wording.region}` : ''}`,
      );
    }
    return `https://modelarts.${options.region}.myhuaweicloud.com`;
  }
  throw new ConfigurationError('Give a region (e.g. cn-north-4) or an endpoint URL');
}

/** `localhost`, `127.x.x.x` or `::1`: the only hosts plain HTTP may go to without an opt-in. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
