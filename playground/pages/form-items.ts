/**
 * The config fields' labels as Logto's Console shows them: from the loaded connector's own form
 * items (`metadata.formItems`), with the config key beside them for the error messages that name it.
 */
import type { ConnectorConfigFormItem } from '@logto/connector-kit';

import { markup, type Html } from '../../simulator/web/html.js';

export type FormItems = readonly ConnectorConfigFormItem[];

/** Whether the connector marks the field required (the Console's "Required"). */
export const isRequired = (items: FormItems, key: string): boolean =>
  items.find((item) => item.key === key)?.required === true;

/** The label text of a field: its form item's label, then its key. */
export const fieldLabel = (items: FormItems, key: string): Html => {
  const label = items.find((item) => item.key === key)?.label ?? key;
  return markup`<span class="label">${label} <code class="key">${key}</code>${
    isRequired(items, key) && markup` <span class="required">Required</span>`
  }</span>`;
};
