"""The exchanges of the SMS conversation, one module each; sms.conversation dispatches to them."""
