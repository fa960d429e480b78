/*
 * verify_idtoken.c - check an OIDC ID token against a JWKS using rhonabwy 1.1.x
 *
 * Build (Debian 12: librhonabwy-dev, libjansson-dev):
 *   cc -O0 -o verify_idtoken verify_idtoken.c $(pkg-config --cflags --libs librhonabwy jansson)
 *
 * Usage:
 *   verify_idtoken JWKS_FILE TOKEN_FILE EXPECTED_ISS EXPECTED_AUD EXPECTED_NONCE [LEEWAY_SECONDS]
 *
 * Exit status: 0 = valid, 1 = usage or I/O error, 2 = parse failure, 3 = wrong alg,
 *              4 = no key for kid, 5 = bad signature, 6 = claim check failed.
 * On success it prints the verified claims as one JSON line on stdout.
 * Diagnostics go to stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include <rhonabwy.h>

static char * read_file(const char * path) {
  FILE * f = fopen(path, "rb");
  char * buf = NULL;
  long len;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    buf = malloc((size_t)len + 1);
    if (buf != NULL && fread(buf, 1, (size_t)len, f) == (size_t)len) {
      buf[len] = '\0';
      /* strip trailing whitespace / newline */
      while (len > 0 && (buf[len-1] == '\n' || buf[len-1] == '\r' || buf[len-1] == ' ')) buf[--len] = '\0';
    } else {
      free(buf);
      buf = NULL;
    }
  }
  fclose(f);
  return buf;
}

int main(int argc, char ** argv) {
  char * jwks_str = NULL, * token = NULL, * claims_str = NULL;
  jwks_t * jwks = NULL;
  jwt_t * jwt = NULL;
  jwk_t * jwk = NULL;
  const char * kid;
  int ret = 0, leeway = 0;
  json_t * j_groups;

  if (argc < 6) {
    fprintf(stderr, "usage: %s JWKS_FILE TOKEN_FILE ISS AUD NONCE [LEEWAY]\n", argv[0]);
    return 1;
  }
  if (argc > 6) leeway = atoi(argv[6]);
  if ((jwks_str = read_file(argv[1])) == NULL || (token = read_file(argv[2])) == NULL) {
    fprintf(stderr, "cannot read input files\n");
    return 1;
  }

  r_global_init();
  do {
    /* 1. the JWKS as served by GET <api>/<plugin>/jwks */
    if (r_jwks_init(&jwks) != RHN_OK || r_jwks_import_from_json_str(jwks, jwks_str) != RHN_OK) {
      fprintf(stderr, "JWKS import failed\n"); ret = 2; break;
    }

    /* 2. parse WITHOUT honouring jwk/jku/x5c/x5u headers and without accepting alg=none:
     *    r_jwt_parse() uses R_PARSE_HEADER_ALL, i.e. it would import keys the token itself names. */
    if (r_jwt_init(&jwt) != RHN_OK || r_jwt_advanced_parse(jwt, token, R_PARSE_NONE, 0) != RHN_OK) {
      fprintf(stderr, "JWT parse failed (malformed, unsigned or encrypted)\n"); ret = 2; break;
    }
    if (r_jwt_get_type(jwt) != R_JWT_TYPE_SIGN) {
      fprintf(stderr, "not a signed JWT\n"); ret = 2; break;
    }

    /* 3. pin the algorithm: never let the token choose */
    if (r_jwt_get_sign_alg(jwt) != R_JWA_ALG_RS256) {
      fprintf(stderr, "unexpected alg %s\n", r_jwt_get_header_str_value(jwt, "alg"));
      ret = 3; break;
    }

    /* 4. choose the key by kid (the returned jwk is a copy: r_jwk_free it) */
    kid = r_jwt_get_header_str_value(jwt, "kid");
    if (kid != NULL) {
      jwk = r_jwks_get_by_kid(jwks, kid);
    } else if (r_jwks_size(jwks) == 1) {
      jwk = r_jwks_get_at(jwks, 0);
    }
    if (jwk == NULL) {
      fprintf(stderr, "no key in JWKS for kid %s\n", kid ? kid : "(none)"); ret = 4; break;
    }

    /* 5. signature */
    if (r_jwt_verify_signature(jwt, jwk, 0) != RHN_OK) {
      fprintf(stderr, "signature invalid\n"); ret = 5; break;
    }

    /* 6. claims. Note rhonabwy 1.1.11 semantics:
     *    - R_JWT_CLAIM_AUD compares "aud" as a STRING (an array aud fails); glewlwyd sends a string.
     *    - R_JWT_CLAIM_EXP takes an int; R_JWT_CLAIM_NOW means "exp >= now", no leeway.
     *      For leeway pass (int)(now - leeway) instead.
     *    - R_JWT_CLAIM_IAT with R_JWT_CLAIM_NOW fails if iat > now (clock skew). */
    if (r_jwt_validate_claims(jwt,
                              R_JWT_CLAIM_ISS, argv[3],
                              R_JWT_CLAIM_AUD, argv[4],
                              R_JWT_CLAIM_EXP, leeway > 0 ? (int)(time(NULL) - leeway) : R_JWT_CLAIM_NOW,
                              R_JWT_CLAIM_IAT, leeway > 0 ? (int)(time(NULL) + leeway) : R_JWT_CLAIM_NOW,
                              R_JWT_CLAIM_SUB, NULL,
                              R_JWT_CLAIM_STR, "nonce", argv[5],
                              R_JWT_CLAIM_NOP) != RHN_OK) {
      fprintf(stderr, "claim validation failed (iss/aud/exp/iat/sub/nonce); claims: %s\n",
              (claims_str = r_jwt_get_full_claims_str(jwt)) ? claims_str : "?");
      ret = 6; break;
    }
    /* azp should equal our client_id when present */
    if (r_jwt_get_claim_str_value(jwt, "azp") != NULL && strcmp(r_jwt_get_claim_str_value(jwt, "azp"), argv[4]) != 0) {
      fprintf(stderr, "azp mismatch\n"); ret = 6; break;
    }

    /* 7. custom claim: groups (deep copy, json_decref it) */
    j_groups = r_jwt_get_claim_json_t_value(jwt, "groups");
    if (!json_is_array(j_groups)) {
      fprintf(stderr, "warning: no groups array in token\n");
    }
    json_decref(j_groups);

    claims_str = r_jwt_get_full_claims_str(jwt);
    printf("%s\n", claims_str);
  } while (0);

  r_free(claims_str);
  r_jwk_free(jwk);
  r_jwt_free(jwt);
  r_jwks_free(jwks);
  r_global_close();
  free(jwks_str);
  free(token);
  return ret;
}
