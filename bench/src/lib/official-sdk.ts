import { createRequire } from 'node:module';

/**
 * The official Huawei Cloud Node.js SDK core (@huaweicloud/huaweicloud-sdk-core),
 * driven the way its generated service clients drive it: a ClientBuilder with
 * BasicCredentials (AK/SK + project ID) and an endpoint, and a service class
 * whose methods call `hcClient.sendRequest(options)`. There is no published
 * ModelArts client for this operation in the Node.js SDK v3, so `TagsClient`
 * below is what its code generator would emit for it: the same option
 * object, the `{project_id}` path parameter filled in from the credentials.
 *
 * Plain http to 127.0.0.1 works as is: the core builds an axios instance with
 * the endpoint as baseURL and enforces no scheme. Every call is signed afresh
 * by AKSKSigner (a new X-Sdk-Date each time), as in production.
 */
const require = createRequire(import.meta.url);

interface HcClient {
  sendRequest(options: Record<string, unknown>): Promise<Record<string, unknown>>;
}

export class TagsClient {
  constructor(private readonly hcClient: HcClient) {}

  showImageTags(annotationId: string, imageIds: string[]): Promise<Record<string, unknown>> {
    const options: Record<string, unknown> = {
      method: 'POST',
      url: '/v1/{project_id}/data-annotations/{data_annotation_id}/tags/show',
      contentType: 'application/json',
      queryParams: {},
      pathParams: { data_annotation_id: annotationId },
      headers: {},
      data: { image_id: imageIds },
    };
    options.responseHeaders = ['X-Request-Id'];
    return this.hcClient.sendRequest(options);
  }
}

export interface OfficialCredentials {
  accessKey: string;
  secretKey: string;
  projectId: string;
}

export function createOfficialClient(endpoint: string, credentials: OfficialCredentials): TagsClient {
  const { ClientBuilder } = require('@huaweicloud/huaweicloud-sdk-core/ClientBuilder');
  const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
  const credential = new BasicCredentials()
    .withAk(credentials.accessKey)
    .withSk(credentials.secretKey)
    .withProjectId(credentials.projectId);
  return new ClientBuilder((hcClient: HcClient) => new TagsClient(hcClient)).withCredential(credential).withEndpoint(endpoint).build();
}

/** The official signer, as the core calls it from BaseCredentials.processAuthRequest. */
export function loadOfficialSigner(): {
  sign(request: Record<string, unknown>, credential: unknown): Record<string, string>;
  basicCredentials(accessKey: string, secretKey: string, projectId: string): unknown;
} {
  const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner');
  const { BasicCredentials } = require('@huaweicloud/huaweicloud-sdk-core');
  return {
    sign: (request, credential) => AKSKSigner.sign(request, credential),
    basicCredentials: (accessKey, secretKey, projectId) =>
      new BasicCredentials().withAk(accessKey).withSk(secretKey).withProjectId(projectId),
  };
}
