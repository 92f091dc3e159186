@receiver
Feature: Receiving notifications (receiver certification)
  The other side of the webhook: the harness plays the registry and calls a
  member's callback endpoint as ORCID does. The notification is a POST with
  an empty body and "Content-Length: 0", HTTP/1.1, no redirects followed,
  one timeout for the whole call (20 s on ORCID). Any 2xx is success (204 is
  recommended); anything else, a timeout included, is a failed delivery that
  is retried. Delivery is at least once, so the same notification may arrive
  again, and several at once. Fact sheet §3.2–§3.5.

  Only "hookcheck certify-receiver" runs this feature; the conformance suite
  leaves it out.

  @core
  Scenario: RCV-01 An empty notification is answered with a 2xx
    Given a record the registry holds
    When the registry POSTs an empty notification to the record's callback
    Then the answer is a 2xx
    And an answer other than 204 is noted

  @core
  Scenario: RCV-02 The answer comes well inside the callback timeout
    # "Well inside" is under half the registry's callback timeout: the
    # rest is the margin for a busy receiver or a slow network.
    Given a record the registry holds
    When the registry POSTs an empty notification to the record's callback
    Then the answer comes within half the callback timeout

  @core
  Scenario: RCV-03 Repeated notifications for one record are all accepted
    Given a record the registry holds
    When the registry POSTs 5 notifications in a row to the record's callback
    Then every answer is a 2xx

  @core
  Scenario: RCV-04 Concurrent duplicate notifications are all accepted
    Given a record the registry holds
    When the registry POSTs 20 notifications at once to the record's callback
    Then every answer is a 2xx

  @core
  Scenario: RCV-05 A notification for an unknown record is no server error
    Given a record the receiver cannot know
    When the registry POSTs an empty notification to the record's callback
    Then the answer is not a 5xx

  @extended
  Scenario: RCV-06 Answers to other methods are reported
    # Informational: the registry only ever POSTs, so these answers never
    # fail the certification; they are noted in the report.
    Given a record the registry holds
    When the harness sends GET, PUT and DELETE to the record's callback
    Then their answers are noted
