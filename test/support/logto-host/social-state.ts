/**
 * The `state` prefixes of Logto 1.43.0 (#9464), packages/schemas/src/consts/social-state.ts on
 * branch wangsijie-unify-social-callback-uri: the sign-in page and the Account Center share
 * `/callback/:connectorId`, and core routes a callback there by its state's prefix.
 */
export const accountCenterSocialStatePrefix = 'ac_';
export const experienceSocialStatePrefix = 'se_';
