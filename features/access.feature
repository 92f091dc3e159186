@access
Feature: Access rules
  Only a token with the "/webhook" scope may register or unregister hooks,
  only on records that exist, only for callbacks that parse as URIs, and only
  the client that registered a hook may unregister it. See docs/orcid-behaviour.md §1, §3.

  Background:
    Given the member client has a "/webhook" token
    And a record on the target
    And a callback at the harness that answers "204"

  @core
  Scenario Outline: ACC-01-<method> <method> without a token is forbidden
    When a <method> for the callback on the record is sent without a token
    Then the answer is 403

    Examples:
      | method |
      | PUT    |
      | DELETE |

  @core @F028
  Scenario Outline: ACC-02-<method> <method> with an unknown token is unauthorized
    When a <method> for the callback on the record is sent with an unknown token
    Then the answer is 401
    And the OAuth error is "invalid_token"

    Examples:
      | method |
      | PUT    |
      | DELETE |

  @core
  Scenario: ACC-03 A token without the /webhook scope is forbidden
    Given the member client has a "/read-public" token
    When the client registers the callback for the record with the "/read-public" token
    Then the answer is 403 with ORCID error code 9038

  @core @F013 @F020 @F021
  Scenario: ACC-04 Only the client that registered a hook may unregister it
    Given the client has registered the callback for the record
    And a second member client with a "/webhook" token
    When the second client unregisters the callback for the record
    Then the answer is 403 with ORCID error code 9014
    When the client unregisters the callback for the record
    Then the answer is 204

  @core @F010
  Scenario: ACC-05 A hook on an unknown record is not found
    When the client registers the callback for an unknown record
    Then the answer is 404 with ORCID error code 9011

  @core
  Scenario: ACC-06 A callback that is not a URI is a bad request
    When the client registers the callback "http://exa mple.org/not a uri" for the record
    Then the answer is 400 with ORCID error code 9012

  @extended @F011 @F015 @F020
  Scenario: ACC-07 Registering another client's hook leaves it with its owner
    Given the client has registered the callback for the record
    And a second member client with a "/webhook" token
    When the second client registers the callback for the record
    Then the answer is 204
    When the second client unregisters the callback for the record
    Then the answer is 403 with ORCID error code 9014
