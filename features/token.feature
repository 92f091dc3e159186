@token
Feature: Token endpoint
  A premium member client gets a "/webhook" token with the client-credentials
  grant (POST /oauth/token), as in ORCID's webhook tutorial. See docs/orcid-behaviour.md §6.

  @core @F055
  Scenario: TOK-01 A member client gets a /webhook token with client credentials
    When the member client asks for a token with scope "/webhook"
    Then the answer is 200
    And the answer is a bearer token with scope "/webhook"
    And the answer is not cacheable

  @core
  Scenario: TOK-02 A wrong client secret is refused
    When the member client asks for a token with scope "/webhook" using a wrong secret
    Then the answer is 401
    And the OAuth error is "invalid_client"

  @extended @F068
  Scenario: TOK-03 Another grant type is refused
    When the member client asks for a token with grant type "password"
    Then the answer is 400
    And the OAuth error is "unsupported_grant_type"

  @extended @F067
  Scenario: TOK-04 An unknown scope is refused
    When the member client asks for a token with scope "/no-such-scope"
    Then the answer is 401
    And the OAuth error is "invalid_scope"

  @extended
  Scenario: TOK-05 A request without grant type is refused
    When the member client asks for a token without a grant type
    Then the answer is 400
