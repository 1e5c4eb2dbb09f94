// A real OpenID Connect provider (node-oidc-provider) for login tests.
// Usage: node provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI [REDIRECT_URI ...]
// Any login name is accepted on its development login page; the name becomes the
// subject, and is sent as the Swedish personal-identity-number claim and as the
// staff HSA-id claim, so one provider serves citizen and staff tests.
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, ...redirectUris] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;

const configuration = {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    id_token_signed_response_alg: 'RS256',
  }],
  scopes: ['openid', 'profile', 'https://id.oidc.se/scope/naturalPersonNumber', 'staff'],
  claims: {
    openid: ['sub'],
    profile: ['given_name', 'family_name'],
    'https://id.oidc.se/scope/naturalPersonNumber': ['https://id.oidc.se/claim/personalIdentityNumber'],
    staff: ['http://sambi.se/attributes/1/employeeHsaId'],
  },
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          given_name: 'Test',
          family_name: 'Person',
          'https://id.oidc.se/claim/personalIdentityNumber': id,
          'http://sambi.se/attributes/1/employeeHsaId': id,
        };
      },
    };
  },
};

const provider = new Provider(issuer, configuration);
provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`READY ${issuer}`);
});
