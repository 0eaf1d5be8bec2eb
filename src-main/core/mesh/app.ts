/** Mesh methods of the console API: pairing by one-time code and removing a console (admins). */
import { ApiFailure, apiError } from '../../../src-shared/errors.ts';
import type { FeatureApp } from '../app.ts';
import type { SyncEngine } from '../sync/engine.ts';
import type { MeshLinks } from './index.ts';

export function meshApp(deps: { mesh: MeshLinks | null; sync: SyncEngine }): FeatureApp {
  const links = (): MeshLinks => {
    if (!deps.mesh) throw new ApiFailure(apiError('not_found', 'the facility mesh is off on this console'));
    return deps.mesh;
  };
  return {
    name: 'mesh',
    handlers: {
      'mesh.pairingCode': () => links().pairingCode(),
      async 'mesh.pair'(input, context) {
        try {
          const device = await links().pair(input.address, input.code, context.actor);
          return { deviceId: device.deviceId, name: device.name };
        } catch (error) {
          if (error instanceof ApiFailure) throw error;
          throw new ApiFailure(apiError('invalid_input', (error as Error).message, 'code'));
        }
      },
      'mesh.revokeDevice'(input, context) {
        const outcome = links().revoke(input.deviceId, input.reason, context.actor);
        if (outcome === 'unknown')
          throw new ApiFailure(apiError('not_found', `no console ${input.deviceId} is known here`, 'deviceId'));
        if (outcome === 'self')
          throw new ApiFailure(apiError('invalid_input', 'a console cannot revoke itself', 'deviceId'));
        if (outcome === 'already')
          throw new ApiFailure(apiError('conflict', `${input.deviceId} is already revoked`, 'deviceId'));
        return deps.sync.status();
      },
      'mesh.removePeer'(input) {
        if (!links().remove(input.deviceId))
          throw new ApiFailure(apiError('not_found', `no console ${input.deviceId} is known here`, 'deviceId'));
        return deps.sync.status();
      },
    },
  };
}
