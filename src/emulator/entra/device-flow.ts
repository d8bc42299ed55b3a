import { randomBytes, randomInt } from 'node:crypto';
import type { DirectoryObject } from '../state/tenant-state.ts';
import { AuthCodeFlow } from './auth-code-flow.ts';

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  status: 'pending' | 'approved' | 'declined' | 'redeemed';
  user: DirectoryObject | undefined;
}

export interface RefreshGrant {
  clientId: string;
  user: DirectoryObject;
  scopes: string[];
}

const USER_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * Pending device-code sign-ins and issued refresh tokens. A test (or a person, through the control API)
 * approves a user code for a user instead of visiting microsoft.com/devicelogin.
 */
export class DeviceFlow {
  readonly #byDeviceCode = new Map<string, DeviceAuthorization>();
  readonly #byUserCode = new Map<string, DeviceAuthorization>();
  readonly refreshTokens = new Map<string, RefreshGrant>();
  /** People's browser sign-ins (authorization code + PKCE); kept here so a reset clears them with the device codes. */
  readonly authCodes = new AuthCodeFlow();

  start(clientId: string, scopes: string[], lifetimeSeconds: number): DeviceAuthorization {
    let userCode = '';
    for (let i = 0; i < 9; i++) userCode += USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)];
    const authorization: DeviceAuthorization = {
      deviceCode: `DAQABIQEAAAB${randomBytes(48).toString('base64url')}`,
      userCode,
      clientId,
      scopes,
      expiresAt: Date.now() + lifetimeSeconds * 1000,
      status: 'pending',
      user: undefined,
    };
    this.#byDeviceCode.set(authorization.deviceCode, authorization);
    this.#byUserCode.set(userCode, authorization);
    return authorization;
  }

  byDeviceCode(deviceCode: string): DeviceAuthorization | undefined {
    return this.#byDeviceCode.get(deviceCode);
  }

  byUserCode(userCode: string): DeviceAuthorization | undefined {
    return this.#byUserCode.get(userCode.trim().toUpperCase());
  }

  pending(): DeviceAuthorization[] {
    return [...this.#byDeviceCode.values()].filter((a) => a.status === 'pending' && a.expiresAt > Date.now());
  }

  issueRefreshToken(grant: RefreshGrant): string {
    const token = `1.AQEA${randomBytes(64).toString('base64url')}`;
    this.refreshTokens.set(token, grant);
    return token;
  }
}
