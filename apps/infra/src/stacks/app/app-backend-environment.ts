/**
 * The contract between the data stack's backend secrets and the Spring Boot backend's environment
 * (the variable names are the ones the backend's Spring `application.properties` reads). Each
 * Secrets Manager secret holds a JSON object; each environment variable is injected by the ECS agent
 * from one JSON key, so no value ever appears in a task definition, an environment file or Terraform state.
 */
export const BACKEND_SECRET_ENVIRONMENT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  jwt: {
    JWT_ACCESSKEY: 'accessKey',
    JWT_REFRESHKEY: 'refreshKey',
  },
  oauth: {
    SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_GOOGLE_CLIENT_ID: 'clientId',
    SPRING_SECURITY_OAUTH2_CLIENT_REGISTRATION_GOOGLE_CLIENT_SECRET: 'clientSecret',
  },
  mail: {
    SPRING_MAIL_USERNAME: 'username',
    SPRING_MAIL_PASSWORD: 'password',
  },
  payment: {
    VNP_TMNCODE: 'tmnCode',
    VNP_SECRET: 'secret',
  },
  cloudfront: {
    CLOUDFRONT_KEYPAIR_ID: 'keyPairId',
    CLOUDFRONT_PRIVATE_KEY_PEM: 'privateKeyPem',
  },
};

/** One secret environment variable: the variable, the secret's logical name, and the JSON key. */
export interface BackendSecretBinding {
  readonly env: string;
  readonly secret: string;
  readonly jsonKey: string;
}

/**
 * Bindings for the secrets the data stack actually provides. A secret with no known mapping fails
 * synth with its name, instead of silently never reaching the backend.
 */
export function backendSecretBindings(secretNames: readonly string[]): BackendSecretBinding[] {
  const unknown = secretNames.filter((name) => !(name in BACKEND_SECRET_ENVIRONMENT));
  if (unknown.length > 0) {
    throw new Error(
      `Backend secrets ${unknown.map((n) => `"${n}"`).join(', ')} from the data stack have no environment mapping: ` +
        'add them to BACKEND_SECRET_ENVIRONMENT in apps/infra/src/stacks/app-backend-environment.ts',
    );
  }
  return secretNames.flatMap((secret) =>
    Object.entries(BACKEND_SECRET_ENVIRONMENT[secret] ?? {}).map(([env, jsonKey]) => ({
      env,
      secret,
      jsonKey,
    })),
  );
}
