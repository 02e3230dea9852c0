import { DEFAULT_PROJECT_ID, DEFAULT_TOKEN, type RunningEmulator } from '@modelarts-kit/emulator';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** The node's credential for a running emulator, with its default project and token. */
export function emulatorCredentials(emulator: RunningEmulator): ICredentialDataDecryptedObject {
	return { endpointType: 'custom', endpoint: emulator.url, projectId: DEFAULT_PROJECT_ID, authType: 'token', token: DEFAULT_TOKEN };
}
