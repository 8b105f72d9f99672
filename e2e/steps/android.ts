/**
 * The Android app's steps in order, each skipped with the reason where this Logto lacks a route
 * it calls (android-support.ts), or as blocked where it needs a step that failed.
 */
import { androidAccounts } from '../android-app.js';
import { stepNames, type World } from '../world.js';

import { androidLink } from './android-link.js';
import {
  androidSignIn,
  androidTokenRefresh,
  androidUnknownApp,
  androidWebSignIn,
} from './android-sign-in.js';

/** Runs the step unless this Logto lacks its routes (`lacking`) or a step it needs failed. */
const runOrSkip = async (
  { report }: World,
  name: string,
  { lacking, blocked }: { lacking?: string; blocked?: string },
  run: () => Promise<unknown>,
): Promise<void> => {
  if (lacking) {
    report.skip(name, lacking, { notInThisLogto: true });
  } else if (blocked) {
    report.skip(name, blocked);
  } else {
    await run();
  }
};

export const androidJourneys = async (world: World): Promise<void> => {
  const { support } = world.android;
  const { signIn: person, link, unknownApp } = androidAccounts;
  let signedIn: Awaited<ReturnType<typeof androidSignIn>>;
  await runOrSkip(world, stepNames.androidSignIn, { lacking: support.signIn }, async () => {
    signedIn = await androidSignIn(world, person);
  });
  const blocked = signedIn ? undefined : 'needs the Android sign-in step';
  // Before the web sign-in, which stores the web app's token set in place of the app's.
  await runOrSkip(
    world,
    stepNames.androidRefresh,
    { lacking: support.refresh, blocked },
    async () => (signedIn ? androidTokenRefresh(world, person, signedIn) : undefined),
  );
  await runOrSkip(
    world,
    stepNames.androidWebSignIn,
    { lacking: support.signIn, blocked },
    async () => (signedIn ? androidWebSignIn(world, person, signedIn.userId) : undefined),
  );
  await runOrSkip(world, stepNames.androidLink, { lacking: support.link }, async () =>
    androidLink(world, link),
  );
  await runOrSkip(world, stepNames.androidUnknownApp, { lacking: support.signIn }, async () =>
    androidUnknownApp(world, unknownApp),
  );
};
