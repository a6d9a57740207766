/** Analytics → Predictions: customer models (lifetime value, propensity, churn) run as jobs. */
export const predictions = {
  predictions: {
    tab: 'Predictions',
    intro: 'Models that score every customer: expected lifetime value, how likely each person is to buy in the next 30 days, and how likely an active customer is to lapse. Scores appear on each customer’s profile and can be used in audiences.',
    fit: { ltv: 'Fit lifetime value', propensity: 'Train purchase propensity', churn: 'Train churn risk' },
    kinds: { ltv: 'Lifetime value', propensity: 'Purchase propensity', churn: 'Churn risk' },
    kind: 'Model',
    anyKind: 'Any model',
    search: 'Search runs',
    started: 'Started',
    status: 'Status',
    statuses: { queued: 'Waiting to start', running: 'Running', succeeded: 'Done', failed: 'Failed' },
    scoreResult: 'Hold-out AUC {{auc}} on {{people}} people (base rate {{base}}); {{scored}} people scored.',
    ltvResult: '{{customers}} customers; predicted revenue over the horizon {{revenue}}; hold-out repeat purchases predicted {{predicted}} vs {{actual}} actual.',
    failed: 'The model could not be fitted: {{error}}',
    emptyTitle: 'No model has run yet',
    emptyBody: 'Fit a model to score your customers. It needs a few months of orders; the run shows its progress here.',
  },
}
