@retry
Feature: Retrying failed notifications
  Only a 2xx answer is success. Any other status (3xx included: redirects are
  not followed), a timeout or a reset connection is a failure and the call is
  retried; the n-th consecutive failure waits the profile's retry delay.
  Retries stop after a 2xx, and a hook is given up after its maximum number
  of attempts. See docs/orcid-behaviour.md §9 (the docs say the interval doubles;
  ORCID's code grows it linearly, the 2013 docs keep it fixed).

  Background:
    Given the member client has a "/webhook" token
    And a record on the target

  @core @F087 @F091
  Scenario Outline: RET-01-<failure> A <failure> is a failure and is retried
    Given a callback at the harness that fails with "<failure>" once and then answers "204"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called within one window
    And the callback is called again after the first retry delay

    Examples:
      | failure |
      | 500     |
      | 503     |
      | 404     |
      | 302     |
      | timeout |
      | reset   |

  @core @F090
  Scenario: RET-02 Retries stop after a 2xx answer
    Given a callback at the harness that answers "500,500,204"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called 3 times, each retry within its declared delay
    And the callback is not called again within the next retry delay

  @core @profile-orcid @F095
  Scenario: RET-03 The retry interval doubles after each failure
    Given a callback at the harness that answers "500,500,500,204"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called 4 times
    And the gaps between attempts fit a "doubling" schedule from the declared retry base

  @core @profile-orcid-2013
  Scenario: RET-04 Retries come at a fixed interval
    Given a callback at the harness that answers "500,500,500,204"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called 4 times
    And the gaps between attempts fit a "fixed" schedule from the declared retry base

  @extended @F097 @F099
  Scenario: RET-05 A hook is given up after the maximum number of attempts
    Given the declared maximum number of attempts can be awaited
    And a callback at the harness that answers "500"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called the maximum number of times, each retry within its declared delay
    And the callback is not called again within the next retry delay
    When the record changes
    Then the callback is not called within one window
