@token
Feature: Token endpoint
  A premium member client gets a "/webhook" token with the client-credentials
  grant (POST /oauth/token), as in ORCID's webhook tutorial. ORCID's API
  checks grant_type, client_id and client_secret itself, then passes the
  request to its authorization server. See docs/orcid-behaviour.md §6; the
  tags @Fnnn name the facts each scenario proves.

  @core @F054 @F055 @F056 @F057 @F058 @F059
  Scenario: TOK-01 A member client gets a /webhook token with client credentials
    When the member client asks for a token with scope "/webhook"
    Then the answer is 200
    And the answer is a bearer token with scope "/webhook"
    And the answer is not cacheable

  @core @F064 @F072
  Scenario: TOK-02 A wrong client secret is refused
    When the member client asks for a token with scope "/webhook" using a wrong secret
    Then the answer is 401
    And the OAuth error is "invalid_client" described as "Bad client credentials"
    And the answer asks for Bearer authentication in realm "ORCID T2 API"

  @extended @F068
  Scenario: TOK-03 Another grant type is refused
    When the member client asks for a token with grant type "password"
    Then the answer is 400
    And the OAuth error is "unsupported_grant_type" described as "Unsupported grant type: password"

  @extended @F067
  Scenario: TOK-04 An unknown scope is refused
    When the member client asks for a token with scope "/no-such-scope"
    Then the answer is 401
    And the OAuth error is "invalid_scope" described as starting "One of the provided scopes is not allowed"

  @extended @F061
  Scenario: TOK-05 A request without grant type is refused
    When the member client asks for a token without a grant type
    Then the answer is 400
    And the OAuth error is "invalid_request" described as "grant_type is missing"

  @extended @F062 @F063
  Scenario Outline: TOK-06-<case> A <field> <how> is an invalid request
    When the member client asks for a token with its <field> <how>
    Then the answer is 400
    And the OAuth error is "invalid_request" described as "<field> is missing or invalid"

    Examples:
      | case         | field         | how      |
      | idmissing    | client_id     | left out |
      | idblank      | client_id     | blank    |
      | idlong       | client_id     | too long |
      | secretmissing | client_secret | left out |
      | secretblank  | client_secret | blank    |
      | secretlong   | client_secret | too long |

  @extended @F053
  Scenario: TOK-07 The client may authenticate with HTTP Basic
    When the member client asks for a token with scope "/webhook" using HTTP Basic authentication
    Then the answer is 200
    And the answer is a bearer token with scope "/webhook"

  @extended @F066
  Scenario: TOK-08 A request without a scope is refused
    When the member client asks for a token without a scope
    Then the answer is 400
    And the OAuth error is "invalid_scope" described as "Invalid scope (none)"

  @extended @F071
  Scenario: TOK-09 Scopes that are not client-credential scopes are dropped
    When the member client asks for a token with scope "/webhook /read-limited"
    Then the answer is 200
    And the answer is a bearer token with scope "/webhook"

  @extended @F108
  Scenario: TOK-10 A comma does not separate scopes
    When the member client asks for a token with scope "/webhook,/read-public"
    Then the answer is 401
    And the OAuth error is "invalid_scope" described as starting "One of the provided scopes is not allowed"

  @extended @F052 @F065
  Scenario: TOK-11 A basic member client cannot get /webhook
    # Needs the control API to make a basic (non-premium) member client.
    Given a basic member client made through the control API
    When that client asks for a token with scope "/webhook"
    Then the answer is 400
    And the OAuth error is "invalid_scope" described as "Invalid scope: /webhook"

  @extended @F069
  Scenario: TOK-12 A grant type the client may not use is an invalid grant
    # Needs the control API to make a client limited to client_credentials.
    Given a member client that may use only "client_credentials" made through the control API
    When that client asks for a token with grant type "authorization_code"
    Then the answer is 400
    And the OAuth error is "invalid_grant" described as "Unauthorized grant type: authorization_code"

  @extended @F070
  Scenario Outline: TOK-13-<state> A <state> client gets no token
    # Needs the control API to deactivate or lock a client.
    Given a member client made through the control API
    And that client is <state> through the control API
    When that client asks for a token with scope "/webhook"
    Then the answer is 400
    And the OAuth error is "unauthorized_client"

    Examples:
      | state       |
      | deactivated |
      | locked      |
