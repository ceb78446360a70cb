import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** The browser's half of the authorization-code exchange (RFC 6749 §4.1.3 with RFC 7636's verifier). */
export class ExchangeCodeDto {
  @IsString()
  @MinLength(1)
  @MaxLength(2_048)
  code!: string;

  /** RFC 7636: 43 to 128 unreserved characters. */
  @Matches(/^[A-Za-z0-9._~-]{43,128}$/, { message: 'codeVerifier must be 43 to 128 unreserved characters' })
  codeVerifier!: string;

  /** This service's own dashboard address (checked against the request's host). */
  @IsString()
  @MaxLength(300)
  @Matches(/^https?:\/\/[A-Za-z0-9.:[\]-]+\/dashboard$/, {
    message: "redirectUri must be this service's /dashboard address",
  })
  redirectUri!: string;
}
