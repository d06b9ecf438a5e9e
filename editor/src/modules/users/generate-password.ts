/** No 0/O, 1/l/I: a password read aloud or copied from a screen is not misread. */
const ALPHABET = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const GENERATED_PASSWORD_LENGTH = 16;

/**
 * A password an admin hands to a user (reset or new account). From
 * getRandomValues, which works on plain http too, with rejection sampling so
 * every character is equally likely (16 of 57: about 93 bits).
 */
export function generatePassword(random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  const limit = 256 - (256 % ALPHABET.length);
  let password = '';
  while (password.length < GENERATED_PASSWORD_LENGTH) {
    for (const byte of random(new Uint8Array(GENERATED_PASSWORD_LENGTH))) {
      if (byte >= limit || password.length === GENERATED_PASSWORD_LENGTH) continue;
      password += ALPHABET[byte % ALPHABET.length];
    }
  }
  return password;
}
