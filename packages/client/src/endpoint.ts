import { ConfigurationError } from './errors.js';

export interface EndpointOptions {
  region?: string | undefined;
  endpoint?: string | undefined;
  allowInsecureHttp?: boolean | undefined;
}

const REGION_PATTERN = /^[a-z]{2,}(-[a-z]+)+-\d+$/;
// Not `.` or `..`: as a path segment the URL parser would resolve it, and the request would go to another path.
export const IDENTIFIER_PATTERN = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;

/** The base URL requests go to, without a trailing slash. */
export function resolveEndpoint(options: EndpointOptions): string {
  if (options.endpoint !== undefined && options.endpoint !== '') {
    let url: URL;
    try {
      url = new URL(options.endpoint);
    } catch {
      throw new ConfigurationError(`The endpoint "${options.endpoint}" is not a URL; use e.g. https://modelarts.cn-north-4.myhuaweicloud.com`);
    }
    if (url.username || url.password) {
      throw new ConfigurationError('The endpoint must not contain a user name or password');
    }
    if (url.search || url.hash) {
      throw new ConfigurationError('The endpoint must not contain a query or fragment');
    }
    if (url.protocol === 'http:') {
      if (!isLoopback(url.hostname) && !options.allowInsecureHttp) {
        throw new ConfigurationError(
          `The endpoint ${url.origin} uses plain HTTP, which would expose credentials on the network; use HTTPS, or set allowInsecureHttp: true for a trusted private network`,
        );
      }
    } else if (url.protocol !== 'https:') {
      throw new ConfigurationError(`The endpoint must be an http(s) URL, not ${url.protocol}`);
    }
    return url.href.replace(/\/+$/, '');
  }
  if (options.region !== undefined && options.region !== '') {
    if (!REGION_PATTERN.test(options.region)) {
      throw new ConfigurationError(`"${options.region}" does not look like a Huawei Cloud region such as cn-north-4 or ap-southeast-1`);
    }
    return `https://modelarts.${options.region}.myhuaweicloud.com`;
  }
  throw new ConfigurationError('Give a region (e.g. cn-north-4) or an endpoint URL');
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

export function assertProjectId(projectId: unknown): string {
  if (typeof projectId !== 'string' || !IDENTIFIER_PATTERN.test(projectId)) {
    throw new ConfigurationError(
      `The project ID ${describeValue(projectId)} is not valid: it is the 32-character ID shown under My Credentials > API Credentials for the region`,
    );
  }
  return projectId;
}

/** A short, safe rendering of a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
