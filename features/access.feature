@access
Feature: Access rules
  Only a token with the "/webhook" scope may register or unregister hooks,
  only on records that exist, only for callbacks that parse as URIs, and only
  the client that registered a hook may unregister it. ORCID checks the token
  first (its security chain), then the scope, the callback and the record, in
  that order. See docs/orcid-behaviour.md §1–§5; the @F tags name the facts
  each scenario proves.

  Background:
    Given the member client has a "/webhook" token
    And a record on the target
    And a callback at the harness that answers "204"

  @core @F027
  Scenario Outline: ACC-01-<method> <method> without a token is forbidden
    When a <method> for the callback on the record is sent without a token
    Then the answer is 403
    And the OAuth error is "forbidden" described as "Forbidden: The server understood the request but refuses to authorize it."

    Examples:
      | method |
      | PUT    |
      | DELETE |

  @core @F028
  Scenario Outline: ACC-02-<method> <method> with an unknown token is unauthorized
    When a <method> for the callback on the record is sent with an unknown token
    Then the answer is 401
    And the OAuth error is "invalid_token" described as "Invalid access token: " and the token

    Examples:
      | method |
      | PUT    |
      | DELETE |

  @core @F032 @F033 @F041
  Scenario: ACC-03 A token without the /webhook scope is forbidden
    Given the member client has a "/read-public" token
    When the client registers the callback for the record with the "/read-public" token
    Then the answer is 403 with ORCID error code 9038

  @core @F013 @F020 @F021 @F041
  Scenario: ACC-04 Only the client that registered a hook may unregister it
    Given the client has registered the callback for the record
    And a second member client with a "/webhook" token
    When the second client unregisters the callback for the record
    Then the answer is 403 with ORCID error code 9014
    When the client unregisters the callback for the record
    Then the answer is 204

  @core @F010 @F041
  Scenario: ACC-05 A hook on an unknown record is not found
    When the client registers the callback for an unknown record
    Then the answer is 404 with ORCID error code 9011

  @core @F039 @F041
  Scenario: ACC-06 A callback that is not a URI is a bad request
    When the client registers the callback "http://exa mple.org/not a uri" for the record
    Then the answer is 400 with ORCID error code 9012
    And the developer message says the callback "http://exa mple.org/not a uri" is syntactically incorrect

  @extended @F011 @F015 @F020
  Scenario: ACC-07 Registering another client's hook leaves it with its owner
    Given the client has registered the callback for the record
    And a second member client with a "/webhook" token
    When the second client registers the callback for the record
    Then the answer is 204
    When the second client unregisters the callback for the record
    Then the answer is 403 with ORCID error code 9014

  @core @F027
  Scenario Outline: ACC-08-<method> <method> with an empty bearer token is forbidden
    When a <method> for the callback on the record is sent with an empty bearer token
    Then the answer is 403
    And the OAuth error is "forbidden" described as "Forbidden: The server understood the request but refuses to authorize it."

    Examples:
      | method |
      | PUT    |
      | DELETE |

  @extended @F044
  Scenario: ACC-09 Token errors are JSON even when XML is asked for
    When a PUT for the callback on the record is sent with an unknown token accepting "application/xml"
    Then the answer is 401
    And the OAuth error is "invalid_token" described as "Invalid access token: " and the token

  @extended @F025
  Scenario: ACC-10 A well-formed iD with a bad checksum is an unknown record
    When the client registers the callback for a record with a bad checksum
    Then the answer is 404 with ORCID error code 9011

  @extended @F007
  Scenario: ACC-11 The scope is checked before the callback and the record
    Given the member client has a "/read-public" token
    When the client registers the callback "http://exa mple.org/" for an unknown record with the "/read-public" token
    Then the answer is 403 with ORCID error code 9038

  @extended @F009
  Scenario: ACC-12 The callback is checked before the record
    When the client registers the callback "http://exa mple.org/" for an unknown record
    Then the answer is 400 with ORCID error code 9012

  @extended @F022 @F023
  Scenario Outline: ACC-13-<case> A malformed iD is redirected to /v3.0 before any token check
    When a PUT for the callback on the iD "<id>" is sent without a token
    Then the answer redirects to the same path under "/v3.0" of the API

    Examples:
      | case        | id                  |
      | short       | 0000-0002-1825-009  |
      | lowercasex  | 0000-0002-1694-233x |

  @extended @F036
  Scenario Outline: ACC-14-<case> The token is checked before the method and the body
    When <request> for the callback on the record is sent without a token
    Then the answer is 403
    And the OAuth error is "forbidden"

    Examples:
      | case      | request        |
      | GET       | a GET          |
      | POST      | a POST         |
      | oversized | an oversized PUT |

  @extended @F034
  Scenario: ACC-15 A user's own token cannot register hooks
    # Needs a user-grant token: records made through the control API carry one.
    Given a record made through the control API with its own update token
    When the client registers the callback for that record with its update token
    Then the answer is 403 with ORCID error code 9038

  @extended @F029
  Scenario Outline: ACC-16-<state> A <state> token is unauthorized
    # Needs the control API to revoke or expire a token.
    Given a fresh "/webhook" token of the member client, <state> through the control API
    When the client registers the callback for the record with that token
    Then the answer is 401
    And the OAuth error is "invalid_token" described as "Invalid access token: " and the token

    Examples:
      | state   |
      | revoked |
      | expired |

  @extended @F030
  Scenario: ACC-17 A public-API client's token is refused before the resource
    # Needs the control API to make a public-API client.
    Given a public-API client made through the control API
    And that client has a "/read-public" token
    When the client registers the callback for the record with that client's token
    Then the answer is 403
    And the OAuth error is "forbidden" described as ending with the token

  @extended @F031
  Scenario: ACC-18 A public client type that reaches the resource is unauthorized
    # Needs the control API to make a public client holding ROLE_CLIENT.
    Given a public client holding ROLE_CLIENT made through the control API
    And that client has a "/read-public" token
    When the client registers the callback for the record with that client's token
    Then the answer is 401 with ORCID error code 9017

  @extended @F026
  Scenario Outline: ACC-19-<state> Hooks register on a <state> record
    # Needs the control API to set the record's state.
    Given the record is <state> through the control API
    When the client registers the callback for the record
    Then the answer is 201
    When the client registers the callback for the record
    Then the answer is 204

    Examples:
      | state       |
      | deprecated  |
      | deactivated |
      | locked      |

  @extended @F017
  Scenario: ACC-20 Unregistering with a token without the /webhook scope is forbidden
    Given the member client has a "/read-public" token
    When the client unregisters the callback for the record with the "/read-public" token
    Then the answer is 403 with ORCID error code 9038

  @extended @F008 @F039
  Scenario Outline: ACC-21-<case> A callback that java.net.URI rejects is a bad request
    # Callbacks are written with \u escapes where a feature file cannot
    # hold the character.
    When the client registers the callback "<callback>" for the record
    Then the answer is 400 with ORCID error code 9012
    And the developer message says the callback "<callback>" is syntactically incorrect

    Examples:
      | case        | callback                       |
      | nossp       | http:                          |
      | nohost      | http://                        |
      | brackets    | http://a.example/b[c]          |
      | twohashes   | http://a.example/#x#y          |
      | badescape   | http://a.example/b?c=d%        |
      | nbsp        | http://a.example/\u00a0x       |
      | linesep     | http://a.example/\u2028x       |

  @extended @F008 @F045 @F046 @F047
  Scenario Outline: ACC-22-<case> Any callback that java.net.URI parses registers
    When the client registers the callback "<callback>" for the record
    Then the answer is 201

    Examples:
      | case          | callback                                           |
      | portname      | http://a.example:xyz/                              |
      | twoports      | http://a.example:80:90/                            |
      | ftp           | ftp://a.example/x                                  |
      | mailto        | mailto:hookcheck@a.example                         |
      | javascript    | javascript:alert(1)                                |
      | unreachable   | http://hookcheck-unreachable.invalid:9/cb          |
      | long          | http://a.example/long/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx |
