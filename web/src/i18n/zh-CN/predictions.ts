/** 分析 → 预测:客户模型(生命周期价值、购买倾向、流失风险)作为后台任务运行。 */
export const predictions = {
  predictions: {
    tab: '预测',
    intro: '为每位客户打分的模型:预期生命周期价值、未来 30 天购买的可能性,以及活跃客户流失的可能性。分数显示在客户档案上,也可以用于人群。',
    fit: { ltv: '拟合生命周期价值', propensity: '训练购买倾向', churn: '训练流失风险' },
    kinds: { ltv: '生命周期价值', propensity: '购买倾向', churn: '流失风险' },
    kind: '模型',
    anyKind: '全部模型',
    search: '搜索运行记录',
    started: '开始时间',
    status: '状态',
    statuses: { queued: '等待开始', running: '运行中', succeeded: '已完成', failed: '失败' },
    scoreResult: '留出集 AUC {{auc}},共 {{people}} 人(基准比例 {{base}});已为 {{scored}} 人打分。',
    ltvResult: '{{customers}} 位客户;预测期内收入 {{revenue}};留出期复购预测 {{predicted}} 次,实际 {{actual}} 次。',
    failed: '模型未能拟合:{{error}}',
    emptyTitle: '还没有运行过模型',
    emptyBody: '拟合一个模型为客户打分。需要几个月的订单数据;运行进度会显示在这里。',
  },
}
