"""WTForms forms: one per answer type, rendered with GOV.UK Frontend widgets."""
