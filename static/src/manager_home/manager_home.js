import {Component, markup, onWillStart, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {useService} from "@web/core/utils/hooks";
import {useSetupAction} from "@web/search/action_hook";
import {Layout} from "@web/search/layout";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";

/**
 * The staff's and managers' home: the programme's targets with their trend,
 * and the figures that need someone's attention. Every figure opens the list
 * of the women behind it, as the server computes it
 * (integration.manager.home.action_open_figure).
 */
export class ManagerHome extends Component {
    static template = "integration_program.ManagerHome";
    static components = {Layout};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({data: null});
        const pastState = this.props.state || {};
        useSetupAction({
            getLocalState: () => ({programId: this.state.data?.program?.id}),
        });
        onWillStart(() =>
            this.load(pastState.programId || this.props.action.context?.program_id)
        );
    }

    async load(programId) {
        const data = await this.orm.call(
            "integration.manager.home",
            "get_home_data",
            [],
            {
                program_id: programId || false,
            }
        );
        for (const target of data.targets) {
            // SVG drawn and escaped on the server (models/trend_chart.py).
            target.chart = markup(target.chart);
        }
        this.state.data = data;
    }

    get staleLabel() {
        return _t("for more than %s days", this.state.data.stale_days);
    }

    targetLabel(target) {
        return _t("of %(target)s · forecast %(forecast)s", {
            target: target.target,
            forecast: target.forecast,
        });
    }

    onProgramChange(ev) {
        this.load(parseInt(ev.target.value));
    }

    async open(key, recordId = false) {
        const action = await this.orm.call(
            "integration.manager.home",
            "action_open_figure",
            [this.state.data.program.id, key, recordId]
        );
        await this.actionService.doAction(action);
    }
}

registry.category("actions").add("integration_program.manager_home", ManagerHome);
