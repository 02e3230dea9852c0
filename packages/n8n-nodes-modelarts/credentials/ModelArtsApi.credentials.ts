import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { authenticateRequest } from './common/modelarts-auth';

/** A job ID no real annotation job has: the credential test asks for it and expects "job not found". */
const CREDENTIAL_TEST_JOB_ID = 'n8n-credential-test';

// The regions named in Huawei Cloud's ModelArts documentation. Any other
// region (or a private cloud) is reachable through a custom endpoint.
const REGIONS: Array<{ name: string; value: string }> = [
	{ name: 'AP-Bangkok (ap-southeast-2)', value: 'ap-southeast-2' },
	{ name: 'AP-Hong Kong (ap-southeast-1)', value: 'ap-southeast-1' },
	{ name: 'AP-Singapore (ap-southeast-3)', value: 'ap-southeast-3' },
	{ name: 'CN East-Shanghai1 (cn-east-3)', value: 'cn-east-3' },
	{ name: 'CN North-Beijing1 (cn-north-1)', value: 'cn-north-1' },
	{ name: 'CN North-Beijing4 (cn-north-4)', value: 'cn-north-4' },
	{ name: 'CN South-Guangzhou (cn-south-1)', value: 'cn-south-1' },
];

/**
 * How the credential test reads the answer to a tags/show request for a job
 * that cannot exist. The request is signed by `authenticate` like any other,
 * and HTTP errors are taken as answers (ignoreHttpStatusErrors), so:
 * - an authentication or permission error code means the credentials are wrong;
 * - "job not found" (any other ModelArts error code) means the gateway accepted
 *   the signature or token and ModelArts looked the job up: the credentials work;
 * - an answer without a ModelArts error code is not from ModelArts at all.
 */
const rejected = (code: string, message: string) => ({
	type: 'responseSuccessBody' as const,
	properties: { key: 'error_code', value: code, message: `${message} (${code})` },
});

export class ModelArtsApi implements ICredentialType {
	name = 'modelArtsApi';

	displayName = 'Huawei Cloud ModelArts API';

	icon: Icon = {
		light: 'file:../nodes/ModelArts/modelarts.svg',
		dark: 'file:../nodes/ModelArts/modelarts.dark.svg',
	};

	documentationUrl = 'https://github.com/modelarts-kit/modelarts-kit/tree/main/packages/n8n-nodes-modelarts#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authType',
			type: 'options',
			options: [
				{
					name: 'Access Key (AK/SK)',
					value: 'accessKey',
					description: 'Sign every request with an access key pair (recommended)',
				},
				{
					name: 'IAM Token',
					value: 'token',
					description: 'Send an IAM token (valid for 24 hours) in X-Auth-Token',
				},
			],
			default: 'accessKey',
		},
		{
			displayName: 'Access Key ID (AK)',
			name: 'accessKey',
			type: 'string',
			required: true,
			default: '',
			hint: 'Huawei Cloud console: your account name > My Credentials > Access Keys',
			displayOptions: { show: { authType: ['accessKey'] } },
		},
		{
			displayName: 'Secret Access Key (SK)',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			hint: 'Shown once, in the credentials.csv downloaded when the access key was created',
			displayOptions: { show: { authType: ['accessKey'] } },
		},
		{
			displayName: 'Security Token',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary access keys (STS): the security token issued with them',
			displayOptions: { show: { authType: ['accessKey'] } },
		},
		{
			displayName: 'IAM Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			hint: 'The X-Subject-Token header of POST https://iam.{region}.myhuaweicloud.com/v3/auth/tokens, scoped to the project below',
			displayOptions: { show: { authType: ['token'] } },
		},
		{
			displayName: 'Endpoint',
			name: 'endpointType',
			type: 'options',
			options: [
				{ name: 'Region', value: 'region', description: 'The public ModelArts endpoint of a region' },
				{
					name: 'Custom Endpoint',
					value: 'custom',
					description: 'Another region, a private cloud, a proxy or a local emulator',
				},
			],
			default: 'region',
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			options: REGIONS,
			default: 'cn-north-4',
			description: 'The region of your annotation jobs, as shown at the top left of the ModelArts console',
			displayOptions: { show: { endpointType: ['region'] } },
		},
		{
			displayName: 'Endpoint URL',
			name: 'endpoint',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. https://modelarts.cn-north-4.myhuaweicloud.com',
			description: 'Base URL of the ModelArts API, without a path',
			displayOptions: { show: { endpointType: ['custom'] } },
		},
		{
			displayName: 'Allow Insecure HTTP',
			name: 'allowInsecureHttp',
			type: 'boolean',
			default: false,
			description:
				'Whether to allow a plain http:// endpoint on a host other than localhost. Only for a trusted private network: the token or the signed requests would travel unencrypted.',
			displayOptions: { show: { endpointType: ['custom'] } },
		},
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. a4a5d4098fb4474fa22cd05f897d6b99',
			hint: 'Huawei Cloud console: your account name > My Credentials > API Credentials, the project ID listed for your region',
		},
	];

	// Signing needs the exact request (method, URL, body), so it is a function, not a header template.
	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => await authenticateRequest(credentials, requestOptions);

	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			// Relative on purpose: `authenticate` resolves it against the credential's endpoint.
			url: `=/v1/{{ String($credentials.projectId).trim() }}/data-annotations/${CREDENTIAL_TEST_JOB_ID}/tags/show`,
			body: { image_id: [CREDENTIAL_TEST_JOB_ID] },
			ignoreHttpStatusErrors: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error_code',
					value: undefined,
					message:
						'The endpoint did not answer like ModelArts (no ModelArts error code for a job that does not exist): check the region or the endpoint URL',
				},
			},
			rejected('APIG.0101', 'This endpoint does not serve the ModelArts API: check the region or the endpoint URL'),
			rejected(
				'APIG.0301',
				'ModelArts rejected the credentials: check the AK/SK pair or the token, and that the clock of the n8n host is right',
			),
			rejected('APIG.0303', 'ModelArts rejected the credentials: check the AK/SK pair'),
			rejected('APIG.0305', 'ModelArts rejected the credentials: check the AK/SK pair or the token'),
			rejected('APIG.0307', 'The IAM token has expired (tokens last 24 hours): get a new one'),
			rejected('ModelArts.6620', 'The IAM token is not valid for ModelArts: get a token scoped to this project'),
			rejected('APIG.0302', 'The IAM user is not allowed to call this API: grant it a ModelArts policy'),
			rejected('APIG.0306', 'Access to the API was denied for these credentials'),
			rejected('ModelArts.0112', 'The credentials work, but the IAM user lacks a policy that allows reading annotation jobs'),
			rejected('APIG.0308', 'ModelArts is throttling requests; test the credentials again in a moment'),
			rejected('ModelArts.6101', 'ModelArts is busy; test the credentials again in a moment'),
			rejected('ModelArts.6102', 'ModelArts had an internal error; test the credentials again in a moment'),
			rejected('ModelArts.6103', 'ModelArts is unavailable; test the credentials again in a moment'),
		],
	};
}
