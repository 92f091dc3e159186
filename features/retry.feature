@retry
Feature: Retrying failed notifications
  Only a 2xx answer is success. Any other status (3xx included: redirects are
  not followed), a timeout or a reset connection is a failure and the call is
  retried; the n-th consecutive failure waits the profile's retry delay.
  Retries stop after a 2xx, and a hook is given up after its maximum number
  of attempts. See docs/orcid-behaviour.md §9 (the docs say the interval doubles;
  ORCID's code grows it linearly, the 2013 docs keep it fixed); the @F tags
  name the facts each scenario proves.

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
    And nothing is called at the redirect target

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

  @extended @F014 @F100
  Scenario: RET-06 Registering a failing hook again keeps its failure count
    Given a callback at the harness that answers "500"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called within one window
    And the callback is called again after the first retry delay
    When the client registers the callback for the record
    Then the answer is 204
    And the callback is called again after the second retry delay

  @extended @F100
  Scenario: RET-07 Unregistering and registering again starts the failure count anew
    Given a callback at the harness that answers "500"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called within one window
    And the callback is called again after the first retry delay
    When the client unregisters the callback for the record
    Then the answer is 204
    When the client registers the callback for the record
    Then the answer is 201
    When the record changes
    Then the callback is called within one window
    And the callback is called again after the first retry delay

  @extended @F101
  Scenario: RET-08 A change during the backoff waits for the same retry
    Given a callback at the harness that answers "500,204"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called within one window
    When the record changes
    Then the callback is called again after the first retry delay
    And the callback is not called again within the next retry delay

  @extended @F088
  Scenario: RET-09 A callback that answers just inside the callback timeout succeeds
    Given a callback at the harness that answers "204" just inside the callback timeout
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called within one window
    And the callback is not called again within the first retry delay

  @extended @F088
  Scenario: RET-10 A callback that answers just past the callback timeout is retried
    Given a callback at the harness that answers "204" just past the callback timeout
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called within one window
    And the callback is called again after the first retry delay

  @core @profile-orcid-registry @F093 @F094
  Scenario: RET-11 The retry interval grows linearly, counted from the end of the failed call
    Given a callback at the harness that answers "500,500,500,204", each failure after half the callback timeout
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called 4 times, each retry within its declared delay
    And each retry comes its declared delay after the end of the failed call, fitting a "linear" schedule

  @extended @profile-orcid-registry @F098
  Scenario: RET-12 The last attempt comes the sum of the linear delays after the first
    Given the declared maximum number of attempts can be awaited
    And a callback at the harness that answers "500"
    And the client has registered the callback for the record
    When the record changes
    Then the callback is called the maximum number of times, each retry within its declared delay
    And the last attempt comes the sum of the declared delays after the first
