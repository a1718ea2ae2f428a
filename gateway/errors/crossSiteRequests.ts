import type { ErrorArea } from '../../kernel/errors/errorsDoc.ts';

/**
 * GW_ERR_ codes of requests that would change something but do not come from
 * the gateway's own pages: one area of docs/errors.md
 * (#requests-from-other-sites-http-api), which gateway/errors.ts composes with
 * the others. Why: docs/security-access.md#requests-from-other-sites.
 */
export const crossSiteRequestErrors = {
  title: 'Requests from other sites (HTTP API)',
  intro: [
    'Every request that changes something (`POST`, `PUT`, `PATCH`, `DELETE`) must come from the',
    "gateway's own pages or from a client that is not a browser, and carry a JSON body, so that a",
    'page elsewhere on the clinic network cannot act with the session of a nurse who has the',
    'gateway open in another tab ([security-access.md](security-access.md#requests-from-other-sites)).',
  ],
  codes: {
    GW_ERR_CROSS_SITE_REFUSED: {
      status: 403,
      message: 'Refused a request from another site: %s',
      meaning: "a browser sent a change from a page that is not the gateway's own",
      solve: "use the gateway's own screen; API clients send no `Origin`",
      readable:
        "`Refused a request from another site: <Origin <origin> is not <the gateway's origin> | Sec-Fetch-Site is <same-site|cross-site>>`",
      explanation: [
        'The browser said the request came from a page of another origin: its `Origin` header',
        "is not the gateway's own (scheme, host and port the request was sent to), or its",
        '`Sec-Fetch-Site` header is `same-site` or `cross-site`. Another port of the same host',
        'is another origin: the session cookie is `SameSite=Strict`, but "same site" includes',
        'every port of the host, so the cookie alone does not stop such a page. Nothing was',
        'done; the refusal is counted in `events_failed_total` and logged with the route.',
        '',
        "**How to solve:** act from the gateway's own screen, opened at the address the request",
        'goes to (`https://<gateway>:8443`, not one address for the page and another for the',
        'API). A script or a tool that is not a browser sends no `Origin` and is not refused.',
        'If nobody on the ward meant to do this, a page elsewhere on the network tried to act',
        'with their session: tell the person responsible for the gateway.',
      ],
    },
    GW_ERR_JSON_BODY_REQUIRED: {
      status: 415,
      message: 'Send a JSON body (Content-Type: application/json; {} when there is nothing to send): %s',
      meaning: 'a request that changes something came without a JSON body',
      solve: 'send `Content-Type: application/json` and a body, `{}` if there is nothing to say',
      readable:
        '`Send a JSON body (Content-Type: application/json; {} when there is nothing to send): <the request has no body | the body is <type>>`',
      explanation: [
        'Every `POST`, `PUT`, `PATCH` and `DELETE` of the API takes `application/json`, also',
        'when it has nothing to say (acknowledging an alert without a note, disabling a user,',
        'signing out): the body is then `{}`. A browser sends a JSON body to another origin',
        'only after asking it first (CORS), which the gateway never allows, while a form or a',
        '`text/plain` request from a page elsewhere goes without asking. Nothing was done.',
        '',
        '**How to solve:** send the header `Content-Type: application/json` and a JSON body:',
        "`curl -X POST -H 'content-type: application/json' -d '{}' ...`.",
      ],
    },
  },
} satisfies ErrorArea;
